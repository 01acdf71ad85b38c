"""The speech recogniser: CMU PocketSphinx with the US-English model that ships inside its PyPI wheel.

Nothing is fetched: the acoustic model, dictionary and language model are files in the installed package
(docs/voice.md). Each recording is decoded in a process of its own (decode.py), which loads the model
(about 0.3 s and 100 MB) and exits: the decoder holds the GIL while it works, and inside the web worker it
would stall every other request of that worker for as long as the recording takes. The samples go to the
child through a pipe and are never written to disk.
"""

import importlib.util
import subprocess
import sys

import numpy as np

TIMEOUT = 120  # seconds: far above the 30–40 s a 90-second recording takes on a busy 2-core machine


class EngineError(RuntimeError):
    """The decoder's process failed or ran out of time."""


def is_available() -> bool:
    """Whether the engine is installed (without importing it)."""
    return importlib.util.find_spec("pocketsphinx") is not None


def transcribe(samples: np.ndarray) -> str:
    """The words heard in 16 kHz mono int16 samples, lower case, without punctuation ("" for none)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "reciprocity.voice.decode"], input=samples.astype(np.int16).tobytes(),
            capture_output=True, timeout=TIMEOUT, check=True,
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as failure:
        raise EngineError(f"the speech decoder failed: {failure}") from None
    return done.stdout.decode().strip()
