"""Where instruments come from: the shipped files, plus files a practice added to its data directory."""

import functools
import shutil
from pathlib import Path

from django.conf import settings

from reciprocity.measures.definitions import SHIPPED_DIR, Instrument, InstrumentFileError, load_file


class UnknownInstrument(LookupError):
    """No instrument has this id."""


@functools.cache
def shipped() -> dict[str, Instrument]:
    instruments = (load_file(path) for path in sorted(SHIPPED_DIR.glob("*.json")))
    return {instrument.id: instrument for instrument in instruments}


def added_dir() -> Path:
    return Path(settings.DATA_DIR) / "instruments"


def added() -> dict[str, Instrument]:
    """Instruments a practice added under its own licence.

    Read once per state of the folder (its path and modification time), so every page that looks an
    instrument up does not re-read the files, and an addition still shows at once.
    """
    folder = added_dir()
    if not folder.is_dir():
        return {}
    return _read_added(str(folder), folder.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read_added(folder: str, _mtime_ns: int) -> dict[str, Instrument]:
    instruments = (load_file(path) for path in sorted(Path(folder).glob("*.json")))
    return {instrument.id: instrument for instrument in instruments if instrument.id not in shipped()}


def all_instruments() -> dict[str, Instrument]:
    return shipped() | added()


def get(instrument_id: str) -> Instrument:
    """The instrument with this id, or UnknownInstrument naming the ones that exist."""
    if (found := shipped().get(instrument_id)) is not None:
        return found  # no added file can take a shipped id, so the data directory need not be looked at
    instruments = all_instruments()
    if instrument_id not in instruments:
        known = ", ".join(sorted(instruments))
        raise UnknownInstrument(f"There is no instrument called {instrument_id!r}. Known: {known}.")
    return instruments[instrument_id]


def for_audience(audience: str) -> list[Instrument]:
    return sorted((i for i in all_instruments().values() if i.is_for(audience)), key=lambda i: i.short_name)


def add_file(path: Path) -> Instrument:
    """Validate an instrument file and keep a copy in the data directory (never in the package)."""
    instrument = load_file(path)
    if instrument.id in shipped():
        raise InstrumentFileError(f"{path.name}: the id {instrument.id!r} belongs to a shipped instrument.")
    if (added_dir() / f"{instrument.id}.json").exists():
        # Answers already stored were scored with that file; replacing it would re-score them differently.
        raise InstrumentFileError(f"{path.name}: an instrument {instrument.id!r} was added already; give a new id.")
    added_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(path, added_dir() / f"{instrument.id}.json")
    return instrument
