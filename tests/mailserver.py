"""A real SMTP server (aiosmtpd) on a free local port, for tests of mail as it leaves: it keeps
what it accepts as parsed messages, and refuses recipients it is told to."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


class Recorder:
    """aiosmtpd handler: 550 for the refused addresses, otherwise keep the message."""

    def __init__(self):
        self.messages = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.SMTP))
        return "250 Message accepted for delivery"


def free_port():
    """A local TCP port nothing listens on (the kernel's pick, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start():
    """A running server and its recorder; stop it with ``controller.stop()``."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, recorder


def smtp_settings(port):
    """Django settings that send to the SMTP server on ``port``."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 5,
    }
