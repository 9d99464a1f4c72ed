"""Writing a finished file in one step, so that a failure never leaves half of one behind."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path``, replacing an existing file only once the whole file is written.

    The bytes go to a hidden file beside the target first (same folder, so the final rename is
    atomic on the same disk). Not ``tempfile.mkstemp``: its file is private (0600) and the result
    would keep that mode, so colleagues on a shared drive could not open the letters or calendar.

    Args:
        path: The file to write; its folder is created if missing.
        data: The whole content.

    Returns:
        The path written.

    Raises:
        OSError: The file could not be written; any earlier file of that name is unchanged.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".~{target.stem}.{secrets.token_hex(4)}.part"
    try:
        with open(temporary, "xb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
