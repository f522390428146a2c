"""Default settings: safe for a local run, no secrets.

Settings load in this order: these defaults, then ``instance/config.py``, then environment
variables with the ``SOP_`` prefix (``SOP_DATABASE_URL``, ``SOP_MAIL_SERVER``, ...).
"""

#: Signing key for sessions and tokens; ``flask init-instance`` writes a random one to
#: ``instance/config.py``. The app refuses to start outside debug/testing without one.
SECRET_KEY = None

#: Database URL. Empty means the embedded SQLite file ``instance/sop_training.db``.
#: PostgreSQL: ``postgresql+psycopg://user:password@host:5432/dbname``.
DATABASE_URL = ""

#: The address users reach the site at; used for links in emails sent from `flask` commands.
PUBLIC_URL = "http://127.0.0.1:5000"

#: Redis URL for rate-limit counters shared between workers, e.g. ``redis://127.0.0.1:6379/0``.
#: Empty keeps counters in each worker's memory.
REDIS_URL = ""

#: Outgoing mail. Without ``MAIL_SERVER`` every message is written to ``MAIL_OUTBOX``
#: (default ``instance/outbox``) and logged, so a local user can follow its links.
MAIL_SERVER = ""
MAIL_PORT = 587
MAIL_USERNAME = ""
MAIL_PASSWORD = ""
MAIL_USE_TLS = True
MAIL_SENDER = "SOP Training <no-reply@sop-training.local>"
MAIL_OUTBOX = ""

#: Interface languages: English, Albanian, Serbian (Latin script).
LANGUAGES = ["en", "sq", "sr"]
BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "Europe/Belgrade"

#: Folders holding authored content, relative to the repository root unless absolute.
COURSES_DIR = "courses"
QUIZZES_DIR = "quizzes"

#: Lifetime of a password-reset link and of an invitation link, in seconds.
PASSWORD_RESET_MAX_AGE = 2 * 60 * 60
INVITATION_MAX_AGE = 14 * 24 * 60 * 60

#: Login attempts allowed per client address.
LOGIN_RATE_LIMIT = "10 per minute;100 per hour"

#: Seconds after a quiz deadline during which answers sent just before it are still saved.
QUIZ_DEADLINE_GRACE_SECONDS = 10

#: Users shown per page in admin lists.
PAGE_SIZE = 25

#: Largest accepted upload (CSV imports), in bytes.
MAX_CONTENT_LENGTH = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

#: Organisations printed at the top of certificates and named as the badge issuer.
CERTIFICATE_ISSUERS = ["OSCE Mission in Kosovo", "International Organization for Migration (IOM)"]
#: Image files (PNG or JPEG) printed beside the issuers' names; paths may be absolute or
#: relative to the instance folder. None by default: logos are the organisations' to give.
CERTIFICATE_LOGOS: list[str] = []
#: The signature block on certificates of online courses.
CERTIFICATE_SIGNATORY = {"name": "Programme lead", "title": "SOP Training programme"}
#: Contact address and web site of the issuer, published in the Open Badges issuer profile.
CERTIFICATE_ISSUER_EMAIL = "certificates@sop-training.local"
CERTIFICATE_ISSUER_URL = ""
#: Look-ups allowed per client address on the public verification pages.
VERIFY_RATE_LIMIT = "30 per minute;300 per hour"

#: Roles that see trainees' names in report drill-downs (admins always do); others see
#: positions and figures only.
REPORT_NAME_ROLES = ["admin"]
