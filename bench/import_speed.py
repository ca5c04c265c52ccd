"""Excel import speed (issue 13, item 4): a 10,000-row people roster checked and imported.

Builds a throw-away database (``bench_imports`` on the same server, like ``bench/run.py``), one
township with ten villages and a township clerk, writes a 10,000-row roster with openpyxl, and times
the two requests a clerk makes: the upload (read + check every row, nothing saved) and the
confirmation (read + check again + create everything in one transaction). Budget: both together
within 10 seconds; over budget prints FAIL and exits 1.

    .venv/bin/python bench/import_speed.py            # 10,000 rows
    IMPORT_ROWS=20000 .venv/bin/python bench/import_speed.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
os.environ.setdefault("TEST_DB_NAME", "bench_imports")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROWS = int(os.environ.get("IMPORT_ROWS", "10000"))
BUDGET_SECONDS = 10.0


def roster(rows: int, villages: list[str]) -> bytes:
    from openpyxl import Workbook

    from cadres import idnumbers

    # A normal workbook, as Excel saves it: with the <dimension> element that write-only mode omits
    # (without it openpyxl reads the whole sheet once more just to size it).
    book = Workbook()
    sheet = book.active
    sheet.title = "人员花名册"
    sheet.append(
        ["姓名", "性别", "民族", "出生日期", "身份证号码", "文化程度", "手机号", "户籍所在村"]
        + ["返乡农民工", "大中专毕业生", "退伍军人", "致富能手"]
    )
    for i in range(rows):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=(i * 7) % 20000)
        number = idnumbers.make_id_number(area="513301", birth_date=birth, sequence=(2 * (i // 20000)) + 1)
        sheet.append(
            [f"人员{i}", "男", "藏族", birth, number, "初中", f"139{i:08d}", villages[i % len(villages)]]
            + ["是" if i % 4 == 0 else "否", "否", "否", "否"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from cadres.models import Person
    from governance.models import User
    from imports.models import ImportBatch
    from villages.models import County, Township, Village

    setup_test_environment()
    db = connections["default"]
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = dt.date(2000, 1, 1)
        county = County.objects.create(code="513301000000", name="康定市", valid_from=start)
        township = Township.objects.create(
            county=county, code="513301101000", name="姑咱镇", kind="town", valid_from=start
        )
        villages = [
            Village.objects.create(
                township=township, code=f"513301101{200 + n:03d}", name=f"示范{n}村", valid_from=start
            )
            for n in range(10)
        ]
        user = User.objects.create(username="bench_clerk", role="township", township=township)
        client = Client()
        client.force_login(user)
        content = roster(ROWS, [village.name for village in villages])
        upload = SimpleUploadedFile("roster.xlsx", content)

        profiler = None
        if os.environ.get("IMPORT_PROFILE"):
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        began, cpu = time.perf_counter(), time.process_time()
        response = client.post("/imports/people/upload/", {"file": upload})
        checked, checked_cpu = time.perf_counter() - began, time.process_time() - cpu
        assert response.status_code == 302, response.content.decode()[:2000]
        batch = ImportBatch.objects.get()
        began, cpu = time.perf_counter(), time.process_time()
        response = client.post(f"/imports/batch/{batch.public_id}/", {"confirmed": "1"})
        imported, imported_cpu = time.perf_counter() - began, time.process_time() - cpu
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ["IMPORT_PROFILE"]).print_stats(30)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Person.objects.count() == ROWS

        total = checked + imported
        flag = "" if total <= BUDGET_SECONDS else "  FAIL"
        print(f"rows {ROWS}  file {len(content) / 1e6:.1f} MB")
        # CPU seconds of this process beside the wall clock: on a shared machine the difference is
        # time spent waiting for a core (and for PostgreSQL).
        print(f"load average    {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"upload + check  {checked:6.2f} s  (cpu {checked_cpu:.2f} s)")
        print(f"confirm import  {imported:6.2f} s  (cpu {imported_cpu:.2f} s)")
        print(f"total           {total:6.2f} s  (budget {BUDGET_SECONDS:.0f} s){flag}")
        return 0 if total <= BUDGET_SECONDS else 1
    finally:
        db.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
