"""The reports dashboard with drill-down, charts and downloads, for reporters and admins."""

import base64

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..accounts.models import Agency, AgencyType, Cohort, Region, Role
from ..accounts.scope import scope_of
from ..accounts.services import active_agencies, active_regions
from ..auth import has_role, role_required
from ..courses.models import Course
from ..courses.services import list_courses
from ..db import utcnow
from ..extensions import db
from ..pdfs import FONT_DIR, html_to_pdf
from . import exports, queries
from .charts import bar_chart
from .filters import read_filter

bp = Blueprint("reports", __name__, url_prefix="/reports")
VIEWS = ("region", "agency", "agency_type")


def _scope():
    return scope_of(current_user)


def _figures(by: str, wanted, region=None) -> tuple[list, object, list[Markup]]:
    """Return rows, total and (for the regional view) charts, from one set of queries."""
    if by == "agency" and region is not None:
        wanted = queries.ReportFilter(**{**wanted.__dict__, "region_id": region.id})
    if by != "region":
        rows, totals = queries.report(by, wanted, _scope())
        return rows, totals, []
    found = queries.reports(["region", "agency_type"], wanted, _scope())
    (rows, totals), (kinds, _kind_total) = found["region"], found["agency_type"]
    return rows, totals, _charts(rows, kinds)


def _region_or_404(region_id: int) -> Region:
    region = db.session.get(Region, region_id) or abort(404)
    scope = _scope()
    if scope.region_id and scope.region_id != region.id:
        abort(404)
    return region


def _charts(regions, kinds) -> list[Markup]:
    def completion(row):
        return queries.ratio(row.completed, row.enrolled)

    return [
        Markup(bar_chart(_("Completion by region"), [(r.label, completion(r)) for r in regions])),
        Markup(bar_chart(_("Coverage by region"), [(r.label, r.coverage) for r in regions])),
        Markup(
            bar_chart(_("Completion by agency type"), [(k.label, completion(k)) for k in kinds])
        ),
        Markup(bar_chart(_("Coverage by agency type"), [(k.label, k.coverage) for k in kinds])),
    ]


def _page(by: str, region=None):
    wanted, problems = read_filter(request.args)
    rows, totals, charts = _figures(by, wanted, region)
    return render_template(
        "reports/dashboard.html",
        by=by,
        region=region,
        rows=rows,
        totals=totals,
        wanted=wanted,
        problems=problems,
        charts=charts,
        courses=list_courses(),
        regions=active_regions(),
        agencies=active_agencies(),
        agency_types=list(AgencyType),
        cohorts=db.session.scalars(db.select(Cohort).order_by(Cohort.name)).all(),
        columns=exports.COLUMNS,
    )


@bp.route("/")
@role_required(Role.REPORTER)
def dashboard():
    return _page("region")


@bp.route("/regions/<int:region_id>")
@role_required(Role.REPORTER)
def region(region_id):
    return _page("agency", _region_or_404(region_id))


def may_see_names() -> bool:
    """Return whether the current user may see trainees' names in reports."""
    roles = current_app.config["REPORT_NAME_ROLES"]
    return current_user.role.value in roles or current_user.role == Role.ADMIN


@bp.route("/regions/<int:region_id>/agencies/<int:agency_id>")
@role_required(Role.REPORTER)
def agency(region_id, agency_id):
    region = _region_or_404(region_id)
    agency = db.session.get(Agency, agency_id) or abort(404)
    scope = _scope()
    if scope.agency_id and scope.agency_id != agency.id:
        abort(404)
    wanted, problems = read_filter(request.args)
    return render_template(
        "reports/trainees.html",
        region=region,
        agency=agency,
        people=queries.trainees(wanted, scope, agency.id, region.id),
        show_names=may_see_names(),
        problems=problems,
    )


def _notes(wanted) -> list[str]:
    labels = {
        "course_id": _("Course"),
        "region_id": _("Region"),
        "agency_id": _("Agency"),
        "agency_type": _("Agency type"),
        "language": _("Language"),
        "date_from": _("From"),
        "date_to": _("To"),
        "cohort_id": _("Group"),
    }
    named = {
        "course_id": lambda i: getattr(db.session.get(Course, i), "title", i),
        "region_id": lambda i: getattr(db.session.get(Region, i), "name", i),
        "agency_id": lambda i: getattr(db.session.get(Agency, i), "name", i),
        "agency_type": lambda kind: kind.label,
        "cohort_id": lambda i: getattr(db.session.get(Cohort, i), "name", i),
    }
    notes = [
        f"{labels[k]}: {named.get(k, str)(v)}" for k, v in wanted.__dict__.items() if v is not None
    ]
    scope = _scope()
    if scope.region_id or scope.agency_id:
        notes.append(_("Limited to your scope"))
    notes.append(exports.generated_note(utcnow(), _("Generated")))
    return notes or [_("All data")]


def _table_for_export(by: str, wanted, suppress: bool):
    """Return header, lines and charts of the view being downloaded."""
    if by == "trainees":
        region = _region_or_404(request.args.get("region", type=int) or 0)
        agency = db.session.get(Agency, request.args.get("agency", type=int) or 0) or abort(404)
        scope = _scope()
        if scope.agency_id and scope.agency_id != agency.id:
            abort(404)
        names = may_see_names()
        people = queries.trainees(wanted, scope, agency.id, region.id)
        header = [_("Name") if names else "#", _("Position"), _("Enrolled"), _("Completed")]
        header.append(_("Valid certificates"))
        lines = [
            [p["name"] if names else n, p["position"], p["enrolled"], p["completed"], p["valid"]]
            for n, p in enumerate(people, start=1)
        ]
        return header, lines, []
    region = _region_or_404(request.args.get("region", type=int) or 0) if by == "agency" else None
    rows, totals, charts = _figures(by, wanted, region)
    header = [str(c.title) for c in exports.COLUMNS]
    return header, exports.table(rows, totals, suppress, _("Total")), charts


@bp.route("/export.<fmt>")
@role_required(Role.REPORTER)
def export(fmt):
    by = request.args.get("view", "region")
    if fmt not in ("csv", "xlsx", "pdf") or by not in (*VIEWS, "trainees"):
        abort(404)
    wanted, _problems = read_filter(request.args)
    suppress = request.args.get("suppress") == "1" and by != "trainees"
    header, lines, charts = _table_for_export(by, wanted, suppress)
    notes = _notes(wanted) + ([_("Counts under 5 are shown as <5.")] if suppress else [])
    title = _("SOP Training completion report")
    name = f"sop-report-{by}-{utcnow():%Y%m%d}"
    if fmt == "csv":
        return Response(
            stream_with_context(exports.csv_lines(header, lines, [title, *notes])),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            exports.xlsx_bytes(title, header, lines, notes),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    html = render_template(
        "reports/report_pdf.html",
        title=title,
        notes=notes,
        header=header,
        lines=lines,
        # The regional charts; the agency-type ones stay on the web page.
        charts=charts[:2],
        font_dir=FONT_DIR.as_posix(),
    )
    return Response(
        html_to_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@bp.app_template_filter("b64")
def b64(text: str) -> str:
    """Base64 of a text, for data: URIs."""
    return base64.b64encode(str(text).encode()).decode()


@bp.app_template_global()
def report_allowed() -> bool:
    """Whether the current user may open the reports."""
    return has_role(Role.REPORTER)
