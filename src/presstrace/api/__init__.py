"""The web app `presstrace serve` runs: a read-only REST API under /api (OpenAPI schema at
/api/openapi.json) and the HTML pages, both thin over presstrace.store.queries.

Nothing here writes to the store, so there is no endpoint that needs a token. The app only
answers requests addressed to the host it was started for (DNS-rebinding pages cannot
read the corpus through a visitor's browser), and every response carries a strict
Content-Security-Policy: no script may run, whatever an article contains.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from presstrace import __version__
from presstrace.api.security import HeadAsGet, SecurityHeaders
from presstrace.api.stores import StorePool
from presstrace.errors import PresstraceError, StoreError
from presstrace.interfaces.hosts import LOOPBACK_HOSTS


def create_app(location: str, allowed_hosts: list[str] | None = None) -> FastAPI:
    """An app over the store at `location` (a file path or a PostgreSQL URL)."""
    from presstrace.api.downloads import router as download_router
    from presstrace.api.routes import router as api_router
    from presstrace.api.views import router as view_api_router
    from presstrace.web.pages import router as page_router
    from presstrace.web.views import router as view_router

    pool = StorePool(location)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        pool.close()

    app = FastAPI(
        title="presstrace",
        version=__version__,
        description="Read-only API over a presstrace store: documents, search, entities, "
        "quotes, stories, threads and stats.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN: not under this CSP, not offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.stores = pool
    app.include_router(api_router, prefix="/api")
    app.include_router(download_router, prefix="/api")
    app.include_router(view_api_router, prefix="/api")
    app.include_router(page_router)
    app.include_router(view_router)
    static = resources.files("presstrace.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or LOOPBACK_HOSTS)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    _error_handlers(app)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _error(request: Request, status: int, message: str, details=None):
    if _is_api(request):
        body = {"error": {"status": status, "message": message}}
        if details is not None:
            body["error"]["details"] = details
        return JSONResponse(body, status_code=status)
    from presstrace.web.pages import render

    return HTMLResponse(render("error.html", status=status, message=message), status_code=status)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        response = _error(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        details = [
            {"where": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg")}
            for err in exc.errors()
        ]
        return _error(request, 422, "invalid parameters", details)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return _error(request, 503, f"store unavailable: {exc}")

    @app.exception_handler(PresstraceError)
    async def presstrace_error(request: Request, exc: PresstraceError):
        return _error(request, exc.http_status, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        return _error(request, 500, "internal error")
