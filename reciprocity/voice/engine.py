"""The speech recogniser: CMU PocketSphinx with the US-English model that ships inside its PyPI wheel.

The model is loaded once per process, on the first transcription (about 0.3 s and 100 MB), never at
start-up, and nothing is fetched: the acoustic model, dictionary and language model are files in the
installed package (docs/voice.md). One decoder serves the process, one recording at a time.
"""

import importlib.util
import threading

import numpy as np

_decoder = None
_initial_cmn = ""
_lock = threading.Lock()


def is_available() -> bool:
    """Whether the engine is installed (without importing it)."""
    return importlib.util.find_spec("pocketsphinx") is not None


def _loaded():
    global _decoder, _initial_cmn
    if _decoder is None:
        from pocketsphinx import Decoder

        _decoder = Decoder(loglevel="FATAL")  # the bundled en-us model; its logs would go to stderr otherwise
        _initial_cmn = _decoder.get_cmn()
    return _decoder


def transcribe(samples: np.ndarray) -> str:
    """The words heard in 16 kHz mono int16 samples, lower case, without punctuation ("" for none)."""
    with _lock:
        decoder = _loaded()
        # Each recording starts from the model's own feature state and loudness estimate, not the last
        # speaker's: the same recording always gives the same words, whoever spoke before.
        decoder.reinit_feat()
        decoder.set_cmn(_initial_cmn)
        decoder.start_utt()
        # Whole, not in blocks: fed as a stream the decoder starts with a poor estimate of the voice's loudness
        # and hears almost nothing right. It holds the GIL meanwhile (docs/voice.md, limits).
        decoder.process_raw(samples.tobytes(), full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        return hypothesis.hypstr.strip() if hypothesis else ""
