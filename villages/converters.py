class DivisionCodeConverter:
    """A 12-digit statistical division code in a URL: villages are addressed by it, not by database id.

    ASCII digits only: ``\\d`` would also match other scripts' digits (١٢٣…), which are no code.
    """

    regex = r"[0-9]{12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
