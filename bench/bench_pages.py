"""Server time of every page at demo scale (two months of history), as p99 against the health
check in the same process, and the process's peak resident memory."""

from __future__ import annotations

import resource
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import percentile, setup_django, timings

TARGET_MS = 300
MEMORY_TARGET_MIB = 500


def main() -> None:
    setup_django("pages")
    from django.core.management import call_command
    from django.test import Client

    from motcua.dossiers.models import Dossier

    call_command("demo", history_months=2, verbosity=0)
    call_command("indices_demo", verbosity=0)
    call_command("feedback_demo", verbosity=0)
    dossier = Dossier.objects.filter(receiving_agency__code="TTPVHCC", handovers__isnull=False)
    code = dossier.order_by("-received_at").values_list("code", flat=True).first()
    public = Client(HTTP_HOST="127.0.0.1")
    desk = Client(HTTP_HOST="127.0.0.1")
    desk.login(username="demo-desk", password="motcua-demo")
    citizen = Client(HTTP_HOST="127.0.0.1")
    citizen.login(username="demo-citizen", password="motcua-demo")
    admin = Client(HTTP_HOST="127.0.0.1")
    admin.login(username="admin", password="motcua-demo")
    leader = Client(HTTP_HOST="127.0.0.1")
    leader.login(username="demo-leader", password="motcua-demo")
    reform = Client(HTTP_HOST="127.0.0.1")
    reform.login(username="demo-reform", password="motcua-demo")
    pages = [
        (public, "/"),
        (public, "/thu-tuc/"),
        (public, "/thu-tuc/?q=dang+ky+khai+sinh"),
        (public, "/thu-tuc/1.001193/"),
        (public, "/thu-tuc/lich-su/"),
        (public, "/login/"),
        (public, "/api/v1/procedures?q=ho+tich"),
        (desk, "/ho-so/"),
        (desk, "/ho-so/?due=late"),
        (desk, f"/ho-so/{code}/"),
        (desk, "/ho-so/tiep-nhan/?procedure=1.003179"),
        (desk, "/api/v1/dossiers?status=open"),
        (desk, f"/api/v1/dossiers/{code}"),
        (desk, f"/api/v1/dossiers/{code}/forms/receipt.pdf"),
        (admin, "/admin/"),
        (admin, "/admin/dossiers/dossier/"),
        (public, "/tra-cuu/"),
        (public, "/danh-gia/quay/"),
        (citizen, "/ca-nhan/"),
        (citizen, "/nop-truc-tuyen/1.004756/"),
        (public, "/phan-anh/"),
        (public, "/open311/v2/requests.json"),
        (public, "/open311/v2/services.xml"),
        (public, "/chi-so/"),
        (desk, "/phan-anh/xu-ly/"),
        (desk, "/lam-viec/"),
        (leader, "/dieu-hanh/SO-TP/"),
        (leader, "/dieu-hanh/ho-so/?figure=late&agency=SO-TP"),
        (reform, "/dieu-hanh/"),
        (reform, "/dieu-hanh/?period=2026"),
        (reform, "/dieu-hanh/bao-cao.xlsx"),
    ]
    baseline = timings(lambda: public.get("/healthz"), 200)
    b99 = percentile(baseline, 99)
    print(f"demo scale: {Dossier.objects.count():,} dossiers; baseline /healthz p99 {b99:.2f} ms")
    worst = 0.0
    for client, url in pages:
        status = client.get(url).status_code
        samples = timings(partial(client.get, url), 30)
        p99 = percentile(samples, 99)
        worst = max(worst, p99)
        print(
            f"  {status} {url:<55} p50 {percentile(samples, 50):7.1f} ms  p99 {p99:7.1f} ms"
            f"  ({p99 / b99:5.1f}x baseline)"
        )
    from motcua.dossiers.form_data import form_data
    from motcua.dossiers.pdf import render_form

    slip = form_data(Dossier.objects.get(code=code), "receipt")
    first = timings(lambda: render_form("receipt", slip), 20)
    print(
        f"  receipt slip rendered uncached (first download): p50 "
        f"{percentile(first, 50):.1f} ms, p99 {percentile(first, 99):.1f} ms; "
        "later downloads of the same version come from the cache"
    )
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"worst page p99 {worst:.1f} ms (target < {TARGET_MS} ms: "
        f"{'OK' if worst < TARGET_MS else 'OVER TARGET'}); peak RSS {rss_mib:.0f} MiB "
        f"(target < {MEMORY_TARGET_MIB} MiB: {'OK' if rss_mib < MEMORY_TARGET_MIB else 'OVER'})"
    )


if __name__ == "__main__":
    main()
