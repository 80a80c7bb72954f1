"""An LTI 1.3 platform for the tests, built on ``lti1p3platform`` (a platform implementation
we did not write): it starts launches and deep linking, signs id_tokens with its own key,
issues access tokens against the tool's JWKS, checks them on its AGS and NRPS endpoints,
and checks the tool's signed deep-linking response. It is served over real HTTP from a
thread, so the tool fetches its JWKS, tokens, line items and roster as it would Canvas's.

What is ours here is only the glue a platform's web framework would give: routing, and
keeping line items, scores and members in memory; and, for the browser, the platform's half
of "LTI Client Side postMessages: Platform Storage" (``STORAGE_PAGE``), which lti1p3platform
does not have: a course page that frames the tool and answers ``lti.put_data`` and
``lti.get_data`` as the spec says (and as Canvas does), and an OIDC endpoint that posts the
launch into the frame.
"""

import html
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from pylti1p3.dynamic_registration import generate_key_pair

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR = LIS + "Instructor"
LEARNER = LIS + "Learner"
TA = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


class _Request(Request):
    def build_metadata(self, request):
        return {
            "method": "GET",
            "form_data": {},
            "json": None,
            "get_data": request,
            "headers": {},
            "content_type": None,
            "path": "/",
        }


class _Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs):
        self.platform = kwargs["platform"]

    def get_registration_by_params(self, **kwargs):
        return self.platform.registration


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url):
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


# The platform's course page with the tool in a frame (``lti_storage_target=_parent``), and
# its storage: answers only the tool's origin, keeps values per origin, replies to the
# sender at its origin with the message's id (Platform Storage 0.1, lti.put_data and
# lti.get_data; lti.capabilities names both).
STORAGE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Course: The Soviet Union after Stalin</title></head><body>
<h1>HIST 274 in the platform</h1>
<iframe name="tool" title="Destalin" src="{src}" style="width:900px;height:600px"></iframe>
<script>
const TOOL = {tool_origin};
const ANSWERS = {answers};
const kept = new Map();
window.addEventListener("message", (event) => {{
  const data = event.data || {{}};
  if (!ANSWERS || event.origin !== TOOL || !data.message_id) return;
  const answer = {{ subject: data.subject + ".response", message_id: data.message_id }};
  const key = event.origin + " " + data.key;
  if (data.subject === "lti.put_data") {{
    kept.set(key, data.value);
    Object.assign(answer, {{ key: data.key, value: data.value }});
  }} else if (data.subject === "lti.get_data") {{
    Object.assign(answer, {{ key: data.key, value: kept.has(key) ? kept.get(key) : null }});
  }} else if (data.subject === "lti.capabilities") {{
    answer.supported_messages = [{{ subject: "lti.put_data" }}, {{ subject: "lti.get_data" }}];
  }} else {{
    answer.error = {{ code: "unsupported_subject", message: "Not supported" }};
  }}
  event.source.postMessage(answer, event.origin);
}});
</script></body></html>"""

LAUNCH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Launching</title>
</head><body><form method="post" action="{action}">{fields}</form>
<script>document.forms[0].submit();</script></body></html>"""


class Platform:
    """A platform at ``url`` (also its issuer) with one registration of the tool at
    ``tool_url`` (the live server's address)."""

    def __init__(self, tool_url, *, client_id="destalin-client", deployment_id="deployment-1"):
        self.tool_url = tool_url.rstrip("/")
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.private_key, self.public_key = generate_key_pair(2048)
        self.lineitems = {}
        self.scores = []
        self.members = []
        self.registered = None
        self.tool_jwks = None
        # Who signs in at the OIDC endpoint (GET /auth), for launches the browser makes.
        self.browser_user = {"sub": "t-1", "roles": [INSTRUCTOR], "name": "Ada"}
        # False: the course page offers its storage and never answers (a broken platform).
        self.storage_answers = True
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.registration = self._registration()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _registration(self):
        return (
            Registration()
            .set_iss(self.url)
            .set_client_id(self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_oidc_login_url(self.tool_url + "/lti/login/")
            .set_launch_url(self.tool_url + "/lti/launch/")
            .set_deeplink_launch_url(self.tool_url + "/lti/launch/")
            .set_platform_public_key(self.public_key)
            .set_platform_private_key(self.private_key)
        )

    def close(self):
        self._server.shutdown()
        self._server.server_close()

    def rotate_key(self):
        """A new platform key: the JWKS publishes only it from now on."""
        self.private_key, self.public_key = generate_key_pair(2048)
        self.registration = self._registration()

    def jwks(self):
        return {"keys": self.registration.get_jwks()}

    def conf(self):
        conf = _Conf(platform=self)
        conf.get_registration()
        if self.tool_jwks is not None:
            self.registration.set_tool_key_set(self.tool_jwks)
        return conf

    # The browser's part of a launch.

    def preflight_url(self, sub, hint="resource-link"):
        login = _Login(None, self.conf())
        login.set_lti_message_hint(hint=hint)
        return login.prepare_preflight_url(sub)

    def launch_form(
        self,
        auth_params,
        *,
        sub,
        roles,
        context=None,
        name="",
        email="",
        resource_link="link-1",
        custom=None,
        deep_link=False,
        claims=None,
        ags=True,
        lineitem=None,
    ):
        """The form the platform posts to the tool after its OIDC auth endpoint got
        ``auth_params`` (the tool's redirect): ``{"id_token": ..., "state": ...}``."""
        launch = _Launch(_Request(auth_params), self.conf())
        launch.set_user_data(sub, roles, full_name=name or None, email_address=email or None)
        context = context or {
            "id": "course-1",
            "title": "The Soviet Union after Stalin",
            "label": "HIST 274",
        }
        launch.set_launch_context_claim(
            context["id"], context_title=context.get("title"), context_label=context.get("label")
        )
        if resource_link and not deep_link:
            launch.set_resource_link_claim(resource_link)
        if custom:
            launch.set_custom_parameters_claim(custom)
        if ags:
            launch.set_ags(
                self.url + "/lineitems", lineitem_url=lineitem, allow_creating_lineitems=True
            )
            launch.set_nrps(self.url + "/memberships")
        if deep_link:
            launch.set_dl(self.url + "/deep-link-return", accept_types={"ltiResourceLink"})
        if claims:
            launch.set_extra_claims(claims)
        return launch.lti_launch()

    def place(self, deep_link_jwt):
        """What the platform does with the tool's deep-linking answer: check its signature
        and type (lti1p3platform), then place each item as a link in the course, with a
        gradebook column for an item that asks for one. Returns the placed links."""
        items = self.conf().validate_deeplinking_resp({"JWT": deep_link_jwt})
        placed = []
        for number, item in enumerate(items, start=1):
            link = {"id": f"placed-{len(self.lineitems)}-{number}", "item": item}
            if "lineItem" in item:
                lineitem = {
                    **item["lineItem"],
                    "id": f"{self.url}/lineitems/{uuid.uuid4().hex[:8]}",
                    "resourceLinkId": link["id"],
                }
                self.lineitems[lineitem["id"]] = lineitem
                link["lineitem"] = lineitem["id"]
            placed.append(link)
        return placed

    def openid_configuration(self):
        """The platform's configuration (LTI Dynamic Registration 1.0, 3.4)."""
        return {
            "issuer": self.url,
            "authorization_endpoint": self.url + "/auth",
            "token_endpoint": self.url + "/token",
            "jwks_uri": self.url + "/jwks",
            "registration_endpoint": self.url + "/register",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "scopes_supported": ["openid"],
            "response_types_supported": ["id_token"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["sub", "iss", "name", "email"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "moodle",
                "version": "4.5",
                "messages_supported": [
                    {"type": "LtiResourceLinkRequest"},
                    {"type": "LtiDeepLinkingRequest"},
                ],
            },
        }

    def registration_answer(self):
        """What the registration endpoint answers (LTI-DR 1.0, 3.6): the tool's client id
        and its deployment."""
        return {
            **self.registered,
            "client_id": self.client_id,
            "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                **self.registered["https://purl.imsglobal.org/spec/lti-tool-configuration"],
                "deployment_id": self.deployment_id,
            },
        }

    def sign(self, body, headers=None, key=None):
        """Any body signed as the platform signs (or with ``key``), for forged tokens."""
        return Registration.encode_and_sign(
            dict(body), key or self.private_key, headers or {"kid": self.registration.get_kid()}
        )

    def course_page(self, sub, tool_origin):
        """The course page with the tool launched in its frame, offering its storage."""
        src = self.preflight_url(sub) + "&lti_storage_target=_parent"
        return STORAGE_PAGE.format(
            src=html.escape(src),
            tool_origin=json.dumps(tool_origin),
            answers=json.dumps(self.storage_answers),
        )

    def auth_page(self, auth_params):
        """The OIDC endpoint's answer: the signed launch posted to the tool, in the frame, with
        the storage frame named again (as Canvas posts it)."""
        user = self.browser_user
        posted = self.launch_form(
            auth_params, sub=user["sub"], roles=user["roles"], name=user["name"]
        )
        fields = {
            "id_token": posted["id_token"],
            "state": posted["state"],
            "lti_storage_target": "_parent",
        }
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        return LAUNCH_PAGE.format(action=html.escape(auth_params["redirect_uri"]), fields=inputs)

    # The platform's HTTP endpoints.

    def _bearer_ok(self, headers, scope):
        token = (headers.get("Authorization") or "").removeprefix("Bearer ")
        try:
            return self.conf().validate_token(token, allowed_scopes=[scope])
        except Exception:
            return False

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json"):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self):
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length).decode()

            def _page(self, text):
                data = text.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = urlsplit(self.path).path
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                if path == "/course":
                    return self._page(platform.course_page(query["sub"], query["tool"]))
                if path == "/auth":
                    return self._page(platform.auth_page(query))
                if path == "/jwks":
                    return self._send(200, platform.jwks())
                if path == "/.well-known/openid-configuration":
                    return self._send(200, platform.openid_configuration())
                if path == "/lineitems":
                    if not platform._bearer_ok(self.headers, LINEITEM_SCOPE):
                        return self._send(401, {"error": "unauthorized"})
                    return self._send(200, list(platform.lineitems.values()))
                if path == "/memberships":
                    if not platform._bearer_ok(self.headers, NRPS_SCOPE):
                        return self._send(401, {"error": "unauthorized"})
                    return self._send(
                        200,
                        {
                            "id": platform.url + "/memberships",
                            "context": {"id": "course-1"},
                            "members": platform.members,
                        },
                    )
                return self._send(404, {})

            def do_POST(self):
                path = urlsplit(self.path).path
                if path == "/register":
                    if self.headers.get("Authorization") != "Bearer reg-token-1":
                        return self._send(401, {"error": "unauthorized"})
                    platform.registered = json.loads(self._body())
                    return self._send(200, platform.registration_answer())
                if path == "/token":
                    form = {k: v[0] for k, v in parse_qs(self._body()).items()}
                    try:
                        return self._send(200, platform.conf().get_access_token(form))
                    except Exception as error:
                        return self._send(400, {"error": str(error)})
                if path == "/lineitems":
                    if not platform._bearer_ok(self.headers, LINEITEM_SCOPE):
                        return self._send(401, {"error": "unauthorized"})
                    item = json.loads(self._body())
                    item["id"] = f"{platform.url}/lineitems/{uuid.uuid4().hex[:8]}"
                    platform.lineitems[item["id"]] = item
                    return self._send(201, item)
                if path.startswith("/lineitems/") and path.endswith("/scores"):
                    if not platform._bearer_ok(self.headers, SCORE_SCOPE):
                        return self._send(401, {"error": "unauthorized"})
                    score = json.loads(self._body())
                    platform.scores.append({"lineitem": platform.url + path[:-7], **score})
                    return self._send(200, {})
                return self._send(404, {})

        return Handler
