"""Where instruments come from: the shipped files, plus files a practice added to its data directory.

An instrument exists in one version per language: its own file, and any licensed translation a practice
added (`versions`, the one place that says which there are). Everything else here knows instruments only:
a translation is never an instrument of its own, and answers given in it are stored, scored and charted
as its instrument's.
"""

import functools
import shutil
from pathlib import Path

from django.conf import settings

from reciprocity.measures.definitions import (
    SHIPPED_DIR,
    Instrument,
    InstrumentFileError,
    check_translation,
    load_file,
)


class UnknownInstrument(LookupError):
    """No instrument has this id."""


class UnknownVersion(UnknownInstrument):
    """The instrument has no version in this language."""


@functools.cache
def _shipped_files() -> tuple[Instrument, ...]:
    return tuple(load_file(path) for path in sorted(SHIPPED_DIR.glob("*.json")))


@functools.cache
def shipped() -> dict[str, Instrument]:
    """The instruments in the package (their own files; a translation is a version, see `versions`)."""
    return {instrument.id: instrument for instrument in _shipped_files() if instrument.translation_of is None}


def is_shipped(instrument_id: str) -> bool:
    """Whether a file of the package has this id (an instrument or a translation)."""
    return any(instrument.id == instrument_id for instrument in _shipped_files())


ADDED_FOLDER = "instruments"  # in the data directory; every backup carries it (apps.py)


def added_dir() -> Path:
    return Path(settings.DATA_DIR) / ADDED_FOLDER


def added() -> dict[str, Instrument]:
    """Instruments a practice added under its own licence (their own files; translations: see `versions`)."""
    return {instrument.id: instrument for instrument in _added_files() if instrument.translation_of is None}


def _added_files() -> tuple[Instrument, ...]:
    """Every file a practice added, instruments and translations.

    Read once per state of the folder (its path and modification time), so every page that looks an
    instrument up does not re-read the files, and an addition still shows at once.
    """
    folder = added_dir()
    if not folder.is_dir():
        return ()
    return _read_added(str(folder), folder.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read_added(folder: str, _mtime_ns: int) -> tuple[Instrument, ...]:
    taken = {instrument.id for instrument in _shipped_files()}
    files = [load_file(path) for path in sorted(Path(folder).glob("*.json"))]
    files = [instrument for instrument in files if instrument.id not in taken]
    originals = shipped() | {i.id: i for i in files if i.translation_of is None}
    for translation in (i for i in files if i.translation_of is not None):
        if (translated := originals.get(translation.translation_of)) is not None:
            try:
                check_translation(translation, translated)
            except ValueError as problem:  # only a file changed by hand after it was added
                raise InstrumentFileError(f"{translation.id}.json: {problem}") from None
    return tuple(files)


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


def _translations() -> list[Instrument]:
    return [i for i in (*_shipped_files(), *_added_files()) if i.translation_of is not None]


def versions(instrument_id: str) -> dict[str, Instrument]:
    """Every version of an instrument by language: its own file first, then its translations by language.

    UnknownInstrument when there is no such instrument (the id of a translation is not one).
    """
    original = get(instrument_id)
    found = {original.language: original}
    for translation in sorted(_translations(), key=lambda t: (t.language, t.id)):
        if translation.translation_of == original.id:
            found.setdefault(translation.language, translation)
    return found


def version(instrument_id: str, language: str) -> Instrument:
    """The instrument's version in this language (its own file in its own language), or UnknownVersion."""
    found = versions(instrument_id)
    if language not in found:
        known = ", ".join(found)
        raise UnknownVersion(f"{instrument_id} has no version in {language!r}. Known: {known}.")
    return found[language]


def original(instrument: Instrument) -> Instrument:
    """The instrument a translation translates (its answers count as this one's); an instrument itself."""
    return instrument if instrument.translation_of is None else get(instrument.translation_of)


def for_audience(audience: str) -> list[Instrument]:
    return sorted((i for i in all_instruments().values() if i.is_for(audience)), key=lambda i: i.short_name)


def add_file(path: Path) -> Instrument:
    """Validate an instrument file, or a translation of one, and keep a copy in the data directory (never in
    the package)."""
    instrument = load_file(path)
    if is_shipped(instrument.id):
        raise InstrumentFileError(f"{path.name}: the id {instrument.id!r} belongs to a shipped instrument.")
    if (added_dir() / f"{instrument.id}.json").exists():
        # Answers already stored were scored with that file; replacing it would re-score them differently.
        raise InstrumentFileError(f"{path.name}: an instrument {instrument.id!r} was added already; give a new id.")
    if instrument.translation_of is not None:
        _check_new_translation(instrument, path.name)
    added_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(path, added_dir() / f"{instrument.id}.json")
    return instrument


def _check_new_translation(translation: Instrument, file_name: str) -> None:
    """A translation names an instrument, is in a language that instrument has no version in yet, and scores
    exactly as it does."""
    original_id = translation.translation_of or ""
    if original_id not in all_instruments():
        if (other := next((t for t in _translations() if t.id == original_id), None)) is not None:
            raise InstrumentFileError(
                f"{file_name}: translation_of {original_id!r} is itself a translation; "
                f"name the instrument it translates ({other.translation_of!r})."
            )
        known = ", ".join(sorted(all_instruments()))
        raise InstrumentFileError(
            f"{file_name}: translation_of {original_id!r} is not an instrument Reciprocity knows. Known: {known}."
        )
    existing = versions(original_id)
    if (there := existing.get(translation.language)) is not None:
        which = "its own file" if there.translation_of is None else f"the translation {there.id!r}"
        raise InstrumentFileError(
            f"{file_name}: {original_id} has a version in {translation.language!r} already ({which}); "
            "each language is added once."
        )
    try:
        check_translation(translation, get(original_id))
    except ValueError as problem:
        raise InstrumentFileError(f"{file_name}: not a translation of {original_id}: {problem}.") from None
