"""The demo catalog: the published procedures shipped in `data/procedures.csv`, announced as of
the 1 July 2025 reorganisation, with document lists for a few common ones."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from fpdf import FPDF

from motcua.catalog.models import (
    CatalogEvent,
    DocumentRequirement,
    FormField,
    Procedure,
    ProcessStep,
)
from motcua.catalog.rows import parse_rows
from motcua.catalog.services import catalog_import
from motcua.common.pdffonts import add_fonts
from motcua.common.text import fold
from motcua.org.models import Agency

DATA_DIR = Path(__file__).parent / "data"
ANNOUNCED_ON = dt.date(2025, 7, 1)
ANNOUNCING_DECISION = "Danh mục TTHC sau sắp xếp chính quyền hai cấp (dữ liệu mẫu)"


def _local_code(name: str) -> str:
    """Published rows without a national code get a stable local one (DP = địa phương)."""
    return "DP-" + hashlib.sha1(fold(name).encode(), usedforsecurity=False).hexdigest()[:8]


def _online_services() -> dict[str, dict]:
    return json.loads((DATA_DIR / "online_services.json").read_text(encoding="utf-8"))["services"]


def demo_rows() -> list[tuple[int, dict[str, object]]]:
    online = _online_services()
    with (DATA_DIR / "procedures.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for number, raw in enumerate(reader, start=2):
            rows.append(
                (
                    number,
                    {
                        "code": raw["code"] or _local_code(raw["name"]),
                        "name": raw["name"].strip().rstrip(":"),
                        "field": raw["field"],
                        "level": raw["level"],
                        "processing_days": raw["processing_days"],
                        "fee_vnd": raw["fee_vnd"],
                        "competent_agency": raw["competent_agency"],
                        "online_level": online.get(raw["code"], {}).get(
                            "level", raw["online_level"]
                        ),
                        "announced_by": ANNOUNCING_DECISION,
                        "effective_from": ANNOUNCED_ON,
                        "source": raw["source"],
                    },
                )
            )
    return rows


@transaction.atomic
def load_catalog() -> dict[str, int]:
    parsed, errors = parse_rows(demo_rows())
    if errors:
        raise ValueError(f"Shipped catalog has errors: {errors[:3]}")
    # The announcements went on line two working days after the decision; one in ten lagged
    # two weeks, so the service index's "published on time" is high but not perfect.
    result = catalog_import(
        rows=parsed, as_of=ANNOUNCED_ON, published_on=ANNOUNCED_ON + dt.timedelta(days=2)
    )
    CatalogEvent.objects.annotate(tenth=F("procedure_id") % 10).filter(
        date=ANNOUNCED_ON, tenth=0
    ).update(published_on=ANNOUNCED_ON + dt.timedelta(days=14))
    field_agencies = json.loads((DATA_DIR / "field_agencies.json").read_text(encoding="utf-8"))
    agencies = {a.code: a for a in Agency.objects.filter(code__in=set(field_agencies.values()))}
    for procedure in Procedure.objects.filter(competent_agency__isnull=True).select_related(
        "field"
    ):
        agency = agencies.get(field_agencies.get(procedure.field.name, ""))
        if agency is not None:
            Procedure.objects.filter(pk=procedure.pk).update(competent_agency=agency)
    documents = json.loads((DATA_DIR / "documents.json").read_text(encoding="utf-8"))
    for code, entries in documents.items():
        target = Procedure.objects.filter(code=code).first()
        if target is None or target.documents.exists():
            continue
        DocumentRequirement.objects.bulk_create(
            DocumentRequirement(
                procedure=target,
                position=i,
                name=name,
                form=form,
                quantity=quantity,
                required=required,
            )
            for i, (name, form, quantity, required) in enumerate(entries, start=1)
        )
    for code, service in _online_services().items():
        target = Procedure.objects.filter(code=code).first()
        if target is None or target.form_fields.exists():
            continue
        FormField.objects.bulk_create(
            FormField(
                procedure=target,
                position=i,
                name=name,
                label=label,
                kind=kind,
                required=required,
                choices=choices,
            )
            for i, (name, label, kind, required, choices) in enumerate(service["fields"], 1)
        )
    load_online_content()
    return {
        "created": result.created,
        "unchanged": result.unchanged,
        "procedures": Procedure.objects.count(),
    }


def form_template_pdf(form: Mapping[str, Any]) -> bytes:
    """A one-page rendering of a form template from its data: title, basis, the fields to fill
    in with dotted lines, and a DEMO mark (the official file is the annex named in `basis`)."""
    pdf = FPDF(unit="mm", format="A4")
    add_fonts(pdf, "DejaVu")
    pdf.set_creator("motcua")
    pdf.set_margins(left=20, top=15, right=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def write(text: str, height: float, align: str = "L") -> None:
        pdf.multi_cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("DejaVu", "I", 9)
    write(f"{form['basis']}\nMẪU MINH HỌA - DỮ LIỆU DEMO", 5, "R")
    pdf.set_font("DejaVu", "B", 11)
    pdf.ln(3)
    write("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 6, "C")
    pdf.set_font("DejaVu", "", 11)
    write("Độc lập - Tự do - Hạnh phúc", 6, "C")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 13)
    write(str(form["title"]), 7, "C")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 11)
    write(str(form["addressee"]), 6, "C")
    pdf.ln(4)
    for number, line in enumerate(form["lines"], start=1):
        write(f"{number}. {line}: " + "." * 60, 8)
    pdf.ln(4)
    pdf.set_font("DejaVu", "I", 11)
    write(str(form["closing"]), 6)
    pdf.ln(6)
    write("......, ngày ..... tháng ..... năm ......\nNgười đề nghị", 6, "R")
    return bytes(pdf.output())


def _content() -> dict:
    return json.loads((DATA_DIR / "online_content.json").read_text(encoding="utf-8"))


def load_online_content() -> int:
    """Give the online demo procedures their full published content: documents, steps,
    conditions, legal basis, result and form templates. Only what is still empty is filled,
    so an administrator's later edits stay."""
    data = _content()
    filled = 0
    for code, entry in data["procedures"].items():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            continue
        stated = {
            "legal_basis": entry["legal_basis"],
            "conditions": entry["conditions"],
            "result_description": entry["result"],
        }
        empty = {name: value for name, value in stated.items() if not getattr(procedure, name)}
        if empty:
            Procedure.objects.filter(pk=procedure.pk).update(**empty)
        if not procedure.steps.exists():
            ProcessStep.objects.bulk_create(
                ProcessStep(
                    procedure=procedure,
                    position=position,
                    name=name,
                    agency_role=role,
                    allowance_days=Decimal(days),
                )
                for position, (name, role, days) in enumerate(entry["steps"], start=1)
            )
        if not procedure.documents.exists():
            DocumentRequirement.objects.bulk_create(
                DocumentRequirement(
                    procedure=procedure,
                    position=position,
                    name=name,
                    form=form,
                    quantity=quantity,
                    required=required,
                )
                for position, (name, form, quantity, required, _) in enumerate(
                    entry["documents"], start=1
                )
            )
        for name, _form, _quantity, _required, template in entry["documents"]:
            if template is None:
                continue
            requirement = procedure.documents.filter(name=name, template="").first()
            if requirement is not None:
                pdf = form_template_pdf(data["forms"][template])
                requirement.template.save(f"{template}.pdf", ContentFile(pdf), save=True)
        filled += 1
    return filled


PROVINCE_DESK = "TTPVHCC"  # the province's Public Administration Service Centre


def online_agency_codes() -> list[str]:
    """Every agency that handles a procedure offered online in the demo: the centre's desk for
    provincial procedures and their competent agency, every commune for commune-level ones
    (the commune receives and decides them), and any agency a process step names."""
    codes: set[str] = set()
    procedures = Procedure.objects.filter(code__in=list(_online_services())).select_related(
        "competent_agency"
    )
    for procedure in procedures:
        if procedure.level_province or procedure.level_central:
            codes.add(PROVINCE_DESK)
            if procedure.competent_agency and not procedure.level_commune:
                codes.add(procedure.competent_agency.code)
        if procedure.level_commune:
            codes.update(
                Agency.objects.filter(kind=Agency.Kind.COMMUNE_COMMITTEE).values_list(
                    "code", flat=True
                )
            )
        codes.update(
            ProcessStep.objects.filter(procedure=procedure, agency__isnull=False).values_list(
                "agency__code", flat=True
            )
        )
    return sorted(codes)
