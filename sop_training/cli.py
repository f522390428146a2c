"""``flask`` commands: set-up, content, accounts."""

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from .extensions import db


def register_cli(app: Flask) -> None:
    """Attach the commands to the app."""
    for command in (
        seed,
        check_content,
        import_content,
        create_admin,
        demo,
        send_reminders,
        demo_data,
        lti_register,
        lti_rotate_key,
        lti_sync,
    ):
        app.cli.add_command(command)


@click.command("seed")
def seed():
    """Add Kosovo's regions and the referral agencies that are missing."""
    from .accounts.services import seed_reference_data

    regions, agencies = seed_reference_data()
    db.session.commit()
    click.echo(f"Seeded {regions} regions and {agencies} agencies.")


def _load_all():
    from .content_files import Problem
    from .courses.content import load_courses
    from .quizzes.content import load_quizzes

    courses, problems = load_courses(Path(current_app.config["COURSES_DIR"]))
    quizzes, quiz_problems = load_quizzes(Path(current_app.config["QUIZZES_DIR"]))
    problems += quiz_problems
    banks = {q.slug: q for q in quizzes}
    for course in courses:
        where = f"courses/{course.slug}/course.yaml"
        if not course.quiz_slug:
            continue
        bank = banks.get(course.quiz_slug)
        if bank is None:
            if not any(p.path.endswith(f"{course.quiz_slug}.yaml") for p in quiz_problems):
                problems.append(
                    Problem(where, 1, f"quiz '{course.quiz_slug}' not found in quizzes/")
                )
            continue
        lessons = {lesson.slug for lesson in course.lessons}
        tags = {t for q in bank.questions for t in q.get("tags", [])}
        for tag in sorted(tags - lessons):
            problems.append(
                Problem(
                    f"quizzes/{bank.slug}.yaml", 1, f"tag '{tag}' is not a lesson of {course.slug}"
                )
            )
        for slug in sorted(lessons - tags):
            problems.append(
                Problem(
                    f"quizzes/{bank.slug}.yaml", 1, f"no question is tagged with lesson '{slug}'"
                )
            )
    return courses, quizzes, problems


@click.command("check-content")
def check_content():
    """Validate courses/ and quizzes/; print each problem as file:line: message."""
    courses, quizzes, problems = _load_all()
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    lessons = sum(len(c.lessons) for c in courses)
    questions = sum(len(q.questions) for q in quizzes)
    click.echo(
        f"Content OK: {len(courses)} course(s), {lessons} lesson(s), "
        f"{len(quizzes)} quiz(zes), {questions} question(s)."
    )


def import_all_content() -> list[str]:
    """Import every course; return one line per course, or raise ClickException on problems."""
    from .courses.content import import_course
    from .quizzes.content import import_quiz

    courses, quizzes, problems = _load_all()
    if problems:
        lines = "\n".join(str(p) for p in problems)
        raise click.ClickException(f"{lines}\nNothing imported: fix the problems above first.")
    report = []
    for data in courses:
        course, changed = import_course(data)
        state = "imported" if changed else "unchanged"
        report.append(f"{course.slug}: {state} (version {course.version})")
    for data in quizzes:
        quiz, changed = import_quiz(data)
        state = "imported" if changed else "unchanged"
        report.append(f"quiz {quiz.slug}: {state} (version {quiz.version})")
    return report


@click.command("import-content")
def import_content():
    """Import courses idempotently by slug; refuse if any content file has a problem."""
    for line in import_all_content():
        click.echo(line)
    db.session.commit()


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "full_name", prompt="Full name")
@click.password_option()
def create_admin(email, full_name, password):
    """Create an administrator account."""
    from .accounts.models import Role
    from .accounts.services import AccountError, create_user

    try:
        user = create_user(email=email, full_name=full_name, password=password, role=Role.ADMIN)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")


@click.command("create-demo-accounts")
def demo():
    """Create one demo account per role (for local trials only) and print them."""
    from .accounts.services import DEMO_PASSWORD, create_demo_accounts

    pairs = create_demo_accounts()
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for user, created in pairs:
        note = "" if created else " (already existed)"
        click.echo(f"  {user.role.value:<9} {user.email}{note}")


@click.command("send-reminders")
def send_reminders():
    """Email reminders: certificates 90 and 30 days before expiry, sessions two days before.

    Safe to run daily from cron: nobody is reminded twice.
    """
    from .certificates.notifications import due_reminders, send_expiry_reminder
    from .scheduling.notifications import send_session_reminder
    from .scheduling.services import due_session_reminders

    sent = 0
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        for certificate, days in due_reminders():
            send_expiry_reminder(certificate, days)
            # One commit per message: a crash part-way never repeats a sent reminder.
            db.session.commit()
            sent += 1
        for registration in due_session_reminders():
            send_session_reminder(registration)
            db.session.commit()
            sent += 1
    click.echo(f"Sent {sent} reminder(s).")


@click.command("demo-data")
@click.option("--trainees", default=1000, show_default=True, help="Trainee accounts to create.")
@click.option("--seed", "random_seed", default=2026, show_default=True, help="Random seed.")
def demo_data(trainees, random_seed):
    """Fill the database with a realistic data set for demonstrations and benchmarks."""
    import time

    from .accounts.services import seed_reference_data
    from .demo_data import DemoDataExists, build

    started = time.perf_counter()
    seed_reference_data()
    import_all_content()
    db.session.commit()
    try:
        counts = build(trainees, random_seed)
    except DemoDataExists as exc:
        raise click.ClickException(f"{exc}; use a fresh database.") from exc
    db.session.commit()
    seconds = time.perf_counter() - started
    for name, value in counts.__dict__.items():
        click.echo(f"  {name:<14}{value:>10,}")
    click.echo(f"Demo data written in {seconds:.1f} s.")


@click.command("lti-register")
@click.option("--name", required=True, help="A name for the LMS, e.g. 'Ministry Moodle'.")
@click.option("--issuer", required=True, help="The platform's issuer (https://...).")
@click.option("--client-id", required=True)
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True)
@click.option("--login-url", required=True, help="The platform's OIDC authorisation URL.")
@click.option("--token-url", required=True, help="The platform's access token URL.")
@click.option("--key-set-url", required=True, help="The platform's public key set URL.")
def lti_register(name, issuer, client_id, deployment_ids, login_url, token_url, key_set_url):
    """Register an LMS that may launch this tool over LTI 1.3."""
    from .lti.platforms import PlatformData, PlatformError, save_platform

    data = PlatformData(
        name=name,
        issuer=issuer,
        client_id=client_id,
        auth_login_url=login_url,
        auth_token_url=token_url,
        deployment_ids=list(deployment_ids),
        key_set_url=key_set_url,
    )
    try:
        with current_app.test_request_context():  # messages are translated per request
            platform = save_platform(data)
    except PlatformError as exc:
        raise click.ClickException("\n".join(exc.problems)) from exc
    db.session.commit()
    click.echo(f"Registered {platform.name} ({platform.issuer}, client {platform.client_id}).")


@click.command("lti-rotate-key")
def lti_rotate_key():
    """Make a new LTI signing key; the previous one stays published for a week."""
    from .lti.keys import rotate

    key = rotate()
    db.session.commit()
    click.echo(f"New signing key {key.kid}.")


@click.command("lti-sync")
def lti_sync():
    """Send the LMS every score it has not accepted yet, and drop expired launch data (cron)."""
    from .lti.grades import deliver, pending
    from .lti.storage import purge_expired

    sent, waiting = deliver(pending())
    purged = purge_expired()
    db.session.commit()
    click.echo(f"Sent {sent} score(s); {waiting} still waiting. Removed {purged} expired entries.")
