"""Write the sample reports shown in the README: docs/reports/*.pdf and a PNG of each first page.

    python scripts/report_samples.py      (or `make samples`)

The demo practice is built as of 26 November 2026 in a temporary SQLite file, so the samples change only
when the code does. The PNGs need `pdftoppm` (Debian's poppler-utils).
"""

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "reports"
NOW = datetime.datetime(2026, 11, 26, 13, 0, tzinfo=datetime.UTC)
sys.path.insert(0, str(ROOT))


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["RECIPROCITY_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from reciprocity.demo.builder import build_demo
        from reciprocity.measures.models import Administration
        from reciprocity.practice.models import User
        from reciprocity.reports import content
        from reciprocity.reports.render import render_pdf
        from reciprocity.sharing.models import Supervision

        build_demo(password="samples-password", now=NOW, index=False)
        october = content.Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
        november = content.Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
        year = content.Period(datetime.date(2025, 12, 1), datetime.date(2026, 11, 30))
        sam = User.objects.get(username="sam")
        robin = User.objects.get(username="robin")
        followed = (Administration.objects.filter(therapist=robin, client__isnull=False, instrument_id="phq9")
                    .values_list("client", flat=True))  # fmt: skip
        client = max({c for c in followed}, key=lambda c: list(followed).count(c))
        from reciprocity.clients.models import Client

        reports = {
            "monthly": ("reports/monthly.html", content.monthly(sam, october)),
            "supervision-packet": ("reports/packet.html", content.packet(Supervision.objects.get(therapist=sam),
                                                                          november)),
            "client-progress": ("reports/client.html", content.client_report(Client.objects.get(pk=client), year)),
        }  # fmt: skip
        OUT.mkdir(parents=True, exist_ok=True)
        for name, (template, context) in reports.items():
            target = OUT / f"{name}.pdf"
            target.write_bytes(render_pdf(template, context))
            print(f"wrote {target.relative_to(ROOT)}")
            if shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(target),
                                str(OUT / name)], check=True)  # fmt: skip
                print(f"wrote docs/reports/{name}.png")


if __name__ == "__main__":
    main()
