import datetime as dt

from django.core.management.base import BaseCommand

from supervision.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail township staff about supervision reports due soon or overdue, and county officials "
        "about long-overdue ones. Safe to run several times a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, date=None, **options):
        reminders_send(today=date, stdout=self.stdout)
