"""Recordings for the voice tests, made in memory (the spoken one is a committed file, see FIXTURE)."""

import io
import wave
from pathlib import Path

import numpy as np

# espeak-ng 1.51 saying "one two three four five six. my client taught me patience today." (US English,
# voice en-us+m3, 130 words a minute), as 16 kHz mono 16-bit PCM: docs/voice.md shows how it was made.
FIXTURE = Path(__file__).parent / "fixtures" / "one-to-six.wav"
# What the engine reliably hears in it: the digits. The synthetic sentence after them comes out garbled
# ("one will be the sunnis to do"), which says more about espeak's voice than about real speech.
HEARD = "two three four five six"


def spoken() -> bytes:
    return FIXTURE.read_bytes()


def spoken_samples() -> tuple[np.ndarray, int]:
    with wave.open(str(FIXTURE)) as recording:
        return np.frombuffer(recording.readframes(recording.getnframes()), dtype="<i2"), recording.getframerate()


def wav_bytes(samples: np.ndarray, rate: int, channels: int = 1, width: int = 2) -> bytes:
    """A PCM WAV of int samples (interleaved when stereo)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(channels)
        recording.setsampwidth(width)
        recording.setframerate(rate)
        recording.writeframes(samples.astype("<i2" if width == 2 else "u1").tobytes())
    return buffer.getvalue()


def silence(seconds: float, rate: int = 8_000) -> bytes:
    return wav_bytes(np.zeros(int(seconds * rate), dtype=np.int16), rate)
