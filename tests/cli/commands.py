"""Every command line the matrices try, as data: add a command here and it is tried on every kind
of unusable file and for every role.

Placeholders: {db} the database, {out} a folder that does not exist yet (outputs go under it),
{backup} a good backup, {csv} a schools file that imports cleanly, {mentor} the signed-in
mentor's email, {other_mentor} another mentor's email, {urn} a school with placements, {year} the
demo's academic year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import DEMO_YEAR

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

OK = (0, 1)  # the command worked (1: and found problems, e.g. unplaced trainees)
REFUSED = (2,)


@dataclass(frozen=True)
class Command:
    """One command line and what it may do.

    Attributes:
        id: The test id.
        argv: The arguments after ``tsa-desktop`` (without --db).
        roles: Exit codes allowed for (itt_lead, office, mentor) on a file with sign-in.
        unusable: Exit codes allowed on a kind of unusable file, where it differs from "refused"
            (e.g. verify reports a damaged file with 1; restore mends a damaged or empty file).
        env: Extra environment for the command.
        slow: Takes seconds when allowed to run (planning, building a demo, rendering letters):
            those runs are marked slow; the refusals stay in the quick suite.
    """

    id: str
    argv: tuple[str, ...]
    roles: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]
    unusable: dict[str, tuple[int, ...]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    slow: bool = False

    def line(self, **values: str) -> list[str]:
        return [part.format(**values) for part in self.argv]


NEW_PASSWORD = {"TSA_DESKTOP_NEW_PASSWORD": "a new password 1"}

COMMANDS = [
    Command("check", ("check", "--year", DEMO_YEAR), (OK, OK, REFUSED)),
    Command("plan", ("plan", "--year", DEMO_YEAR, "--time-limit", "1"), (OK, REFUSED, REFUSED), slow=True),
    Command("plan-apply", ("plan", "--year", DEMO_YEAR, "--time-limit", "1", "--apply"), (OK, REFUSED, REFUSED),
            slow=True),
    Command("plan-repair", ("plan", "--repair", "--year", DEMO_YEAR), (OK, REFUSED, REFUSED), slow=True),
    Command("plan-repair-apply", ("plan", "--repair", "--year", DEMO_YEAR, "--apply"), (OK, REFUSED, REFUSED),
            slow=True),
    Command("confirm", ("confirm", "--year", DEMO_YEAR), (OK, REFUSED, REFUSED)),
    Command("hosting", ("hosting", "{urn}", "--year", DEMO_YEAR, "--off", "--reason", "staffing"),
            (OK, REFUSED, REFUSED)),
    Command("import", ("import", "schools", "{csv}"), (OK, OK, REFUSED)),
    Command("import-postcodes", ("import", "postcodes", str(SAMPLES / "postcodes.csv")), (OK, OK, REFUSED)),
    Command("import-school-links", ("import", "school-links", str(SAMPLES / "school_links.csv")),
            (OK, OK, REFUSED)),
    Command("export-ects", ("export", "ects", "{out}/ects.csv"), (OK, OK, REFUSED)),
    Command("export", ("export", "schools", "{out}/schools.csv"), (OK, OK, REFUSED)),
    Command("export-year", ("export", "trainees", "{out}/trainees.xlsx", "--year", DEMO_YEAR), (OK, OK, REFUSED)),
    Command("register-placements", ("export", "register-placements", "{out}/register.csv", "--year", DEMO_YEAR),
            (OK, OK, REFUSED)),
    Command("letters", ("letters", "--out", "{out}/letters.pdf", "--year", DEMO_YEAR), (OK, OK, REFUSED),
            slow=True),
    Command("letters-folder", ("letters", "--out", "{out}/letters", "--to", "schools", "--year", DEMO_YEAR),
            (OK, OK, REFUSED), slow=True),
    Command("mentor-pack", ("mentor-pack", "--mentor", "{mentor}", "--out", "{out}/pack", "--year", DEMO_YEAR),
            (OK, OK, OK)),
    Command("mentor-pack-all", ("mentor-pack", "--all", "--out", "{out}/packs", "--year", DEMO_YEAR),
            (OK, OK, REFUSED), slow=True),
    Command("mentor-pack-other", ("mentor-pack", "--mentor", "{other_mentor}", "--out", "{out}/pack",
                                  "--year", DEMO_YEAR), (OK, OK, REFUSED)),
    # A file somebody else edits is refused by backup too; the same person's own open window is
    # not (tests/cli/test_unusable_files.py: a backup while one's own window has the file open).
    Command("backup", ("backup", "--out", "{out}/copy.db"), (OK, OK, REFUSED)),
    Command("restore", ("restore", "{backup}"), (OK, REFUSED, REFUSED),
            unusable={"damaged": (0,), "zero-byte": (0,)}),
    Command("verify", ("verify",), (OK, OK, OK), unusable={"damaged": (1,)}),
    Command("retention", ("retention",), (OK, REFUSED, REFUSED)),
    Command("retention-apply", ("retention", "--apply"), (OK, REFUSED, REFUSED)),
    Command("demo", ("demo", "--size", "small", "--force", "--year", DEMO_YEAR), (OK, REFUSED, REFUSED),
            unusable={"zero-byte": (0,)}, slow=True),
    Command("users-list", ("users", "list"), (OK, REFUSED, REFUSED)),
    Command("users-add", ("users", "add", "newcomer", "--role", "office"), (OK, REFUSED, REFUSED),
            env=NEW_PASSWORD),
    Command("users-remove", ("users", "remove", "office"), (OK, REFUSED, REFUSED)),
]
