"""A small HTTP client for live-server tests: logs in through the real form, sends CSRF tokens."""

import re

import requests

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


class WebUser:
    """One browser-like session against a live server."""

    def __init__(self, base: str, cookies=None):
        self.base = base
        self.session = requests.Session()
        if cookies is not None:
            self.session.cookies.update(cookies)

    def token(self, path: str = "/") -> str:
        page = self.session.get(self.base + path, timeout=30)
        return CSRF_RE.search(page.text).group(1)

    def login(self, email: str, password: str) -> "WebUser":
        token = self.token("/accounts/login")
        response = self.post("/accounts/login", {"email": email, "password": password}, token=token)
        assert "My learning" in response.text or response.url.endswith("/"), response.text[:500]
        return self

    def post(self, path: str, data=None, token: str | None = None, **kwargs):
        data = {**(data or {}), "csrf_token": token or self.token()}
        return self.session.post(self.base + path, data=data, timeout=60, **kwargs)

    def clone(self) -> "WebUser":
        """Return a second tab: same cookies, separate connection."""
        return WebUser(self.base, self.session.cookies)


def in_parallel(calls) -> list:
    """Run the callables in threads released together; return their results in order."""
    import threading

    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index):
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results
