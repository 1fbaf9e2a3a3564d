"""The workbench application: server-rendered pages over one roadmap store.

Pages: the overview matrix (`/`), a document with its evidence (`/documents/{id}`), the
review queue (`/review`), a region's plan versions (`/amendments`), the file ledger with the
upload form (`/ledger`); the JSON API is mounted from web/api.py. Every text is escaped by
Jinja2's autoescape; ids from a request are looked up in the store and never become paths;
an upload is written under a generated name in a private folder and ingested by the same
flow as `roadmap ingest`.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from urllib.parse import parse_qs, quote, unquote, urlencode
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Callable, Optional, Sequence

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from extractors.raw import ExtractionError
from schema import Milestone
from pipeline.corrections import CorrectionError, UnchangedCorrection
from pipeline.identity import act_id, activity_ids
from pipeline.reports import (
    FIELD_LABELS, STATUS_COLOURS, STATUS_LABELS, STATUS_ORDER, document_label, evidence_place, signed, status_label,
)
from pipeline.reports.html import CSS as REPORT_CSS
from pipeline.filestore import FileStore, default_root
from pipeline.store import Store
from web import images, views
from web.reasons import reason_ru, status_ru, warning_ru
from web.uploads import save_upload, upload_outcome
from web.api import api_router
from web.corrections_ru import correction_line, correction_ru, refusal_ru
from web.errors import http_message, title_for, validation_message, wants_json
from web.security import (
    CONTENT_SECURITY_POLICY, CSRF_COOKIE, CSRF_FIELD, MAX_UPLOAD_BYTES, BadForm, Csrf, UploadTooLarge, form_limit,
    parse_multipart, read_limited,
)

REVIEW_FORM_LIMIT = 64 * 1024  # a queue form is a few fields
API_BODY_LIMIT = 1024 * 1024  # a JSON request: a batch of corrections, each a few fields
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # the corrected day the queue page repeats back

HERE = Path(__file__).resolve().parent
Ingest = Callable[[str, str], dict]
LEVELS = {"regional": "региональный", "municipal": "муниципальный", "territorial": "территориальный"}


def ingest_with_flow(inbox: str, db_url: str) -> dict:
    """`roadmap ingest INBOX --db URL`, in-process: the same Prefect flow and report."""
    from flows.runtime import configure_prefect_env

    configure_prefect_env()
    from flows.ingest import IngestFailed, run_ingest

    try:
        return run_ingest(inbox, db_url)
    except IngestFailed as exc:
        return exc.report


AUTHOR_COOKIE = "roadmap_reviewer"
AUTHOR_COOKIE_AGE = 365 * 24 * 3600
AUTHOR_MAX = 100


def reviewer_name(text: str) -> str:
    """A reviewer's name as it signs corrections: spaces folded, at most AUTHOR_MAX characters."""
    return " ".join(text.split())[:AUTHOR_MAX]


def reviewer(request: Request) -> str:
    """The name this browser's reviewer gave (`POST /review/author`), or ''."""
    return reviewer_name(unquote(request.cookies.get(AUTHOR_COOKIE, "")))


def original_file(doc, files: Optional[FileStore]) -> Optional[str]:
    """The document's original bytes on disk: where the ledger says while they still hash to
    the stored sha256, else the store's content-addressed copy (the inbox may be cleaned)."""
    if images.original_available(doc.source.path, doc.source.sha256):
        return doc.source.path
    copy = files.find(doc.source.sha256, doc.source.format) if files is not None else None
    if copy is not None and images.original_available(str(copy), doc.source.sha256):
        return str(copy)
    return None


def _rendition_page(activity_id: str, renditions: Sequence, files: Optional[FileStore]) -> Optional[tuple]:
    """(rendition, activity index) of another rendition of the act whose original can be drawn
    and which holds the same activity: a DOCX plan's row shown on its PDF's page."""
    for other in renditions:
        if not images.can_render(other.source.format):
            continue
        ids = activity_ids(other)
        if activity_id in ids and original_file(other, files) is not None:
            index = ids.index(activity_id)
            if other.activities[index].source.page:
                return other, index
    return None


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html"], default=True), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        STATUS_LABELS=STATUS_LABELS, STATUS_COLOURS=STATUS_COLOURS, STATUS_ORDER=STATUS_ORDER, LEVELS=LEVELS,
        FIELD_LABELS=FIELD_LABELS,
        status_label=status_label, signed=signed, evidence_place=evidence_place, document_label=document_label,
        REPORT_CSS=REPORT_CSS, CSRF_FIELD=CSRF_FIELD, PAGE_SCALE=images.SCALE,
        MAX_UPLOAD_MB=MAX_UPLOAD_BYTES // (1024 * 1024),
    )
    env.tests["status_changed"] = lambda m: m.status_changed
    env.filters["ru_date"] = lambda d: d.strftime("%d.%m.%Y") if d else ""
    env.filters["status_ru"] = status_ru
    env.filters["reason_ru"] = reason_ru
    env.filters["warning_ru"] = warning_ru
    env.filters["correction_ru"] = correction_ru
    env.filters["correction_line"] = correction_line
    return env


def create_app(db_url: Optional[str] = None, *, milestones: Optional[Sequence[Milestone]] = None,
               ingest: Optional[Ingest] = None, uploads: Optional[Path] = None,
               max_upload: int = MAX_UPLOAD_BYTES, files: Optional[Path] = None,
               allowed_hosts: Optional[Sequence[str]] = None) -> FastAPI:
    """The workbench over the store at `db_url`. `ingest(inbox, db_url)` ingests an upload
    folder (default: the `roadmap ingest` flow); uploads are kept under `uploads`, or else in a
    private temporary folder removed when the app shuts down (their pages are then drawn from
    the store's copies of the originals, as for a cleaned inbox). `allowed_hosts`: the names a
    request's Host may give (web.security.hosts_for); any other is refused, so a page of
    another site whose name was rebound to this address cannot use it (DNS rebinding)."""
    from pipeline.timeline import load_timeline

    store = Store(db_url)
    files_store = FileStore(default_root(store.url, files))
    timeline = list(milestones) if milestones is not None else load_timeline()
    run_ingest = ingest or ingest_with_flow
    csrf = Csrf()
    templates = _templates()
    upload_root = uploads or Path(tempfile.mkdtemp(prefix="roadmap-web-uploads-"))
    upload_root.mkdir(parents=True, exist_ok=True, mode=0o700)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()
            if uploads is None:
                shutil.rmtree(upload_root, ignore_errors=True)

    app = FastAPI(title="Roadmap workbench", description="Evidence behind every compliance status.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.store = store
    app.state.milestones = timeline
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Browsers ask for it whatever the page links: the workbench's icon, not a 404."""
        return RedirectResponse("/static/favicon.svg", status_code=301)
    app.include_router(api_router, prefix="/api")

    @app.exception_handler(StarletteHTTPException)
    async def http_error_page(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request.url.path):
            return await http_exception_handler(request, exc)
        return page(request, "error.html", status_code=exc.status_code, title=title_for(exc.status_code),
                    message=http_message(exc.status_code, exc.detail, request.method))

    @app.exception_handler(RequestValidationError)
    async def bad_address_page(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request.url.path):
            return await request_validation_exception_handler(request, exc)
        return page(request, "error.html", status_code=422, title=title_for(422),
                    message=validation_message(exc.errors()))

    @app.middleware("http")
    async def json_only_api(request: Request, call_next):
        """A JSON API POST must be application/json, which a cross-site form cannot send."""
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.url.path.startswith("/api/"):
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind != "application/json":
                return JSONResponse({"detail": "the API accepts only application/json"}, status_code=415)
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > API_BODY_LIMIT:
                return JSONResponse({"detail": f"a request body is at most {API_BODY_LIMIT} bytes"}, status_code=413)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    def page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE)
        if not csrf.valid(token):
            token = csrf.new_token()
        html = templates.get_template(template).render(request=request, csrf_token=token, **context)
        response = HTMLResponse(html, status_code=status_code)
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    def stored_document(doc_id: str):
        doc = store.document(doc_id)
        if doc is None:
            raise HTTPException(404, "no such document")
        return doc

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """The OpenAPI description as a page of its own (Swagger UI would load from a CDN)."""
        return page(request, "api.html", spec=app.openapi())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, year: str = "", level: str = "", region: str = "", status: str = "",
                 review: str = "") -> HTMLResponse:
        filters = views.Filters(year=int(year) if year.isdigit() else None, level=level, region=region,
                                status=status if status in STATUS_ORDER else "", review=review in ("1", "on", "true"))
        data = views.overview(store, timeline, filters)
        return page(request, "overview.html", data=data, filters=filters)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document(request: Request, doc_id: str, activity: Optional[int] = None, done: Optional[str] = None,
                 value: Optional[str] = None, milestone: Optional[str] = None) -> HTMLResponse:
        doc = stored_document(doc_id)
        if activity is not None and not 0 <= activity < len(doc.activities):  # a stale or edited link
            return document_page(request, doc, None, status_code=404, error=f"в документе нет мероприятия с номером "
                                 f"{activity} по порядку (их {len(doc.activities)}, от 0 до {len(doc.activities) - 1})")
        return document_page(request, doc, activity, message=done_message(done, value), corrected=milestone)

    def document_page(request: Request, doc, activity: Optional[int] = None, message: Optional[str] = None,
                      error: Optional[str] = None, status_code: int = 200,
                      corrected: Optional[str] = None) -> HTMLResponse:
        """A stored document's page; `activity`, a position the caller checked (or None); `corrected`,
        the milestone whose correction form stays open."""
        selected = activity
        act = act_id(doc)
        rows = [r for r in store.compliance(doc.region.code if doc.region else None) if r.document_id == doc.id]
        ids = activity_ids(doc)
        doc_versions = views.versions(store, doc, timeline)
        renderable = images.can_render(doc.source.format) and original_file(doc, files_store) is not None
        return page(
            request, "document.html", status_code=status_code, doc=doc, ids=ids, rows=rows, selected=selected,
            chosen=doc.activities[selected] if selected is not None else None,
            versions=doc_versions, milestone_titles={m.id: m.title for m in timeline},
            linked_index=lambda row: views.activity_index(doc, row), renderable=renderable,
            rendition=None if renderable or selected is None else _rendition_page(ids[selected], doc_versions.renditions,
                                                                                  files_store),
            act=act, also_plans={m: others for (_, m), others in views.also_plans(rows).items()},
            corrections=list(reversed(store.corrections(act))),
            message=message, error=error, corrected=corrected,
        )

    @app.get("/documents/{doc_id}/pages/{page_no}.png", include_in_schema=False)
    def page_image(doc_id: str, page_no: int, activity: Optional[int] = None) -> Response:
        doc = stored_document(doc_id)
        original = original_file(doc, files_store) if images.can_render(doc.source.format) else None
        if original is None:
            raise HTTPException(404, "the original file is not available")
        boxes = []
        if activity is not None and 0 <= activity < len(doc.activities):
            source = doc.activities[activity].source
            if source.page == page_no:
                boxes.append(source.bbox)
        try:
            png = images.render_page(original, doc.source.format, page_no, boxes)
        except ValueError as exc:
            raise HTTPException(404, str(exc)) from exc
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review(request: Request, done: Optional[str] = None, value: Optional[str] = None) -> HTMLResponse:
        return review_page(request, message=done_message(done, value))

    @app.post("/review/correct", include_in_schema=False)
    async def review_correct(request: Request) -> Response:
        """The queue's form: a corrected date for the row's activity, a corrected status of the
        row (when the match itself is in doubt), or a confirmation of the row as read. CSRF-checked; the ids are looked up in the store, never used as paths.
        Done, it sends the browser back to the queue (303), so the page shows the queue as it
        now is and a reload asks for it again instead of posting the form twice."""
        form = await review_form(request)
        if isinstance(form, Response):
            return form
        # sent from a document's page (its id, looked up in the store): answered there
        origin = store.document(form["back"]) if form.get("back") else None

        def refused(error: str, status_code: int) -> HTMLResponse:
            if origin is not None:
                return document_page(request, origin, error=error, status_code=status_code,
                                     corrected=form.get("milestone_id"))
            return review_page(request, error=error, status_code=status_code)

        author, comment = form.get("author") or reviewer(request) or None, form.get("comment") or None
        action = form.get("action")
        if action not in ("correct", "confirm", "status"):
            return refused("не принято: неизвестное действие формы", 400)
        if action == "correct" and not (form.get("value") or "").strip():
            # an emptied date field is no date to correct to (an API client can set null on purpose)
            return refused("не принято: укажите исправленный срок (дату)", 422)
        try:
            if action == "confirm" and not form.get("milestone_id"):  # a corrected activity, as it now reads
                store.add_correction(activity_id=form.get("activity_id"), author=author, comment=comment,
                                     confirm=True)
                done = {"done": "confirmed"}
            elif action == "confirm":
                store.add_correction(act_id=form.get("act_id"), milestone_id=form.get("milestone_id"),
                                     author=author, comment=comment, confirm=True)
                done = {"done": "confirmed"}
            elif action == "status":  # the match itself in doubt: the row's status, not a date
                correction = store.add_correction(act_id=form.get("act_id"), milestone_id=form.get("milestone_id"),
                                                  field="status", value=form.get("status") or None,
                                                  author=author, comment=comment)
                done = {"done": "status", "value": str(correction.new_value)}
            else:
                correction = store.add_correction(activity_id=form.get("activity_id"), field="schedule.end",
                                                  value=form.get("value") or None, author=author, comment=comment)
                done = {"done": "corrected", "value": str(correction.new_value)}
        except UnchangedCorrection as exc:
            if action == "confirm":  # the form sent twice
                return refused(f"не принято: {refusal_ru(str(exc))}", 422)
            # Enter in the comment sends the first button, «Исправить»
            return refused("не принято: значение не изменилось; чтобы подтвердить строку как есть, нажмите "
                           "«Подтвердить как есть»", 422)
        except CorrectionError as exc:
            return refused(f"не принято: {refusal_ru(str(exc))}", 422)
        if origin is not None:
            done["milestone"] = form.get("milestone_id") or ""
            return RedirectResponse(f"/documents/{quote(origin.id, safe='')}?{urlencode(done)}"
                                    f"#m-{quote(form.get('milestone_id') or '', safe='')}", status_code=303)
        return RedirectResponse("/review?" + urlencode(done), status_code=303)

    async def review_form(request: Request) -> dict[str, str] | Response:
        """A review page's posted form, or the page with why it was refused (too large, or
        not sent from this site's page: CSRF)."""
        try:
            body = await read_limited(request.stream(), REVIEW_FORM_LIMIT)
        except UploadTooLarge:
            return review_page(request, error="форма слишком велика", status_code=413)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if not csrf.check(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD)):
            return review_page(request, error="форма устарела или отправлена не с этой страницы (CSRF)",
                               status_code=403)
        return form

    def review_page(request: Request, message: Optional[str] = None, error: Optional[str] = None,
                    status_code: int = 200) -> HTMLResponse:
        queue = store.review_queue()
        return page(request, "review.html", status_code=status_code, items=views.review_queue(store, timeline, queue),
                    changed=views.changed_corrections(store, queue), message=message, error=error,
                    author=reviewer(request))

    @app.post("/review/author", include_in_schema=False)
    async def review_author(request: Request) -> Response:
        """Who is reviewing: kept in a cookie of this browser, and every correction or
        confirmation sent from the queue afterwards is signed with it (as `review import
        --author`), instead of `anonymous`. CSRF-checked; an empty name forgets it."""
        form = await review_form(request)
        if isinstance(form, Response):
            return form
        name = reviewer_name(form.get("author") or "")
        response = RedirectResponse("/review", status_code=303)
        if name:
            response.set_cookie(AUTHOR_COOKIE, quote(name), max_age=AUTHOR_COOKIE_AGE, httponly=True,
                                samesite="strict")
        else:
            response.delete_cookie(AUTHOR_COOKIE)
        return response

    @app.get("/amendments", response_class=HTMLResponse, include_in_schema=False)
    def amendments(request: Request, region: str = "") -> HTMLResponse:
        regions = views.amendment_regions(store)
        known = region in {r[0] for r in regions}
        chosen = views.region_versions(store, region, timeline) if known else None
        if region and not known:
            return page(request, "amendments.html", status_code=404, regions=regions, chosen=None, region="",
                        error=f"в хранилище нет документов региона «{region}»")
        return page(request, "amendments.html", regions=regions, chosen=chosen, region=region)

    def ledger_page(request: Request, message: Optional[str] = None, error: Optional[str] = None,
                    result: Optional[dict] = None, status_code: int = 200, failed: bool = False) -> HTMLResponse:
        """The ledger; `message` says what became of an upload, shown as an error when `failed`."""
        return page(request, "ledger.html", status_code=status_code, entries=store.ledger(),
                    message=message, error=error, result=result, failed=failed)

    @app.get("/ledger", response_class=HTMLResponse, include_in_schema=False)
    def ledger(request: Request) -> HTMLResponse:
        return ledger_page(request)

    @app.post("/ledger/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload(request: Request) -> HTMLResponse:
        limit = form_limit(max_upload)
        too_large = f"файл больше {_size(max_upload)}: такой не принимается"
        declared = request.headers.get("content-length", "")
        try:
            if declared.isdigit() and int(declared) > limit:
                raise UploadTooLarge(too_large)
            body = await read_limited(request.stream(), limit)
            parts = parse_multipart(request.headers.get("content-type", ""), body)
        except UploadTooLarge:
            return ledger_page(request, error=too_large, status_code=413)
        except BadForm as exc:
            return ledger_page(request, error=str(exc), status_code=400)
        token = parts.get(CSRF_FIELD)
        if not csrf.check(request.cookies.get(CSRF_COOKIE), token.data.decode("ascii", "replace") if token else None):
            return ledger_page(request, error="форма устарела или отправлена не с этой страницы (CSRF)", status_code=403)
        upload = parts.get("file")
        if upload is None or not upload.data:
            return ledger_page(request, error="файл не выбран или пуст", status_code=400)
        if len(upload.data) > max_upload:
            return ledger_page(request, error=too_large, status_code=413)
        try:
            saved = save_upload(upload_root, upload.filename, upload.data)
        except ExtractionError as exc:
            return ledger_page(request, error=f"файл не принят: {reason_ru(str(exc))}", status_code=400)
        report = await run_in_threadpool(run_ingest, str(saved.folder), store.url)
        outcome = upload_outcome(upload.filename, saved, report)
        return ledger_page(request, message=outcome.message, result=outcome.files, failed=outcome.failed,
                           status_code=outcome.status_code)

    return app


def done_message(done: Optional[str], value: Optional[str]) -> Optional[str]:
    """What a page says after a correction form sent the browser back to it (the values checked,
    never echoed as given)."""
    if done == "confirmed":
        return "строка подтверждена"
    if done == "corrected" and value and _ISO_DAY.fullmatch(value):
        year, month, day = value.split("-")
        return f"срок исправлен на {day}.{month}.{year}"
    if done == "status" and value in STATUS_LABELS:
        return f"статус исправлен: «{STATUS_LABELS[value]}»"
    return None


def _size(n: int) -> str:
    """A byte limit as the upload form's reader says it (`20 МБ`, `4 КБ`)."""
    return f"{n // (1024 * 1024)} МБ" if n >= 1024 * 1024 else f"{max(1, n // 1024)} КБ"
