"""A real SAML 2.0 identity provider for the single sign-on tests: pysaml2's IdP
(``saml2.server.Server``, which signs with Debian's ``xmlsec1``) behind a small HTTP server on
a free local port, run from a thread. The SAML is all pysaml2's; what is here is only the
wiring a school's IdP has around it: a sign-in form, and the page that posts the signed
response back to the service provider (the browser carries it, as in the Web Browser SSO
profile)."""

import datetime
import shutil
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256


def make_key_and_certificate(directory, name):
    """A fresh RSA key and self-signed certificate, written as PEM files; returns their paths
    and the certificate's base64 body (what a school pastes into the SocialApp)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    cert_file.write_bytes(pem)
    body = "".join(pem.decode().strip().splitlines()[1:-1])
    return key_file, cert_file, body


class IdentityProvider:
    """pysaml2's IdP on ``http://127.0.0.1:<port>``. ``accounts`` maps a person's persistent
    NameID to their attributes (pysaml2's friendly names: ``mail``, ``givenName``, ``sn``).
    ``signed`` off makes it send responses with no signature at all (what a forger sends)."""

    def __init__(self, *, directory, name, accounts):
        self.accounts = accounts
        self.signed = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.entity_id = f"{self.url}/metadata"
        self.sso_url = f"{self.url}/sso"
        self.key_file, self.cert_file, self.certificate = make_key_and_certificate(directory, name)
        self.saml = None
        self._requests = {}
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self, *, sp_metadata):
        """Trust the service provider described by ``sp_metadata`` (its XML) and serve."""
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"name_form": NAME_FORMAT_URI}},
                        "want_authn_requests_signed": False,
                    }
                },
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "xmlsec_binary": shutil.which("xmlsec1"),
                "metadata": {"inline": [sp_metadata]},
            }
        )
        self.saml = Server(config=config)
        self._thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def sign_in_page(self, query):
        """The IdP's own sign-in form for an AuthnRequest (HTTP-Redirect binding)."""
        request = self.saml.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        key = uuid.uuid4().hex
        self._requests[key] = (request, query.get("RelayState", [""])[0])
        return (
            '<form method="post" action="/sso/sign-in">'
            f'<input type="hidden" name="request" value="{key}">'
            '<input name="login" value=""><button>Sign in</button></form>'
        )

    def response_page(self, form):
        """The signed response for the person who signed in, as the auto-posting form that
        carries it to the service provider's assertion consumer service."""
        request, relay_state = self._requests.pop(form["request"][0])
        login = form["login"][0]
        args = self.saml.response_args(request.message, [BINDING_HTTP_POST])
        response = self.saml.create_authn_response(
            identity=self.accounts[login],
            userid=login,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=login),
            authn={"class_ref": PASSWORD},
            sign_response=self.signed,
            sign_assertion=self.signed,
            # pysaml2 still defaults to SHA-1, which the service provider rightly refuses.
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            **args,
        )
        http = self.saml.apply_binding(
            BINDING_HTTP_POST, str(response), args["destination"], relay_state, response=True
        )
        return http["data"]


def _handler(idp):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/sso":
                self._answer(idp.sign_in_page(parse_qs(url.query)))
            else:
                self.send_error(404)

        def do_POST(self):
            if self.path == "/sso/sign-in":
                length = int(self.headers["Content-Length"])
                self._answer(idp.response_page(parse_qs(self.rfile.read(length).decode())))
            else:
                self.send_error(404)

        def _answer(self, body):
            data = f"<!doctype html><title>School IdP</title>{body}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler
