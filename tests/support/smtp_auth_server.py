# An SMTP server for the tests that requires AUTH and accepts one user and password.
# usage: smtp_auth_server.py PORT USER PASSWORD LOGFILE
# AUTH PLAIN / LOGIN is offered without TLS (loopback only). Every AUTH attempt and every mail
# accepted is appended to LOGFILE as one JSON line; "ready" on stdout once it listens.
import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, user, password, log = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode(), sys.argv[4]
lock = threading.Lock()


def record(entry):
    with lock, open(log, 'a', encoding='utf-8') as f:
        f.write(json.dumps(entry) + '\n')


def authenticator(server, session, envelope, mechanism, auth_data):
    is_login = isinstance(auth_data, LoginPassword)
    ok = is_login and auth_data.login == user and auth_data.password == password
    record({'event': 'auth', 'mechanism': mechanism, 'login': auth_data.login.decode('utf-8', 'replace') if is_login else None,
            'ok': ok})
    return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        record({'event': 'mail', 'authenticated': bool(session.authenticated), 'mail_from': envelope.mail_from,
                'rcpt_tos': envelope.rcpt_tos, 'content': envelope.content.decode('utf-8', 'replace')})
        return '250 OK'


controller = Controller(Handler(), hostname='127.0.0.1', port=port, authenticator=authenticator,
                        auth_required=True, auth_require_tls=False)
controller.start()
print('ready', flush=True)


def stop(*_):
    controller.stop()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
signal.pause()
