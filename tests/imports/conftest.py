import pytest
from django.urls import reverse


@pytest.fixture
def upload_url():
    return reverse("imports:upload", args=["people"])
