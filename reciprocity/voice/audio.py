"""A spoken reflection as the engine hears it: a WAV file read in memory, checked before it is decoded,
and turned into 16 kHz mono 16-bit samples with the standard `wave` module and SciPy (no ffmpeg).

Accepted: uncompressed PCM WAV, 16-bit, mono or stereo, 8 to 48 kHz, at most MAX_SECONDS long and
MAX_BYTES big. Each refusal says what was wrong and carries the HTTP status the view answers with.
"""

import io
import math
import wave

import numpy as np
from django.utils.translation import gettext

RATE = 16_000  # what the engine's acoustic model was trained on
MAX_SECONDS = 90
# 90 s of 16 kHz mono 16-bit PCM is 2,880,044 bytes: the cap leaves room for a header, not for more speech.
MAX_BYTES = 3 * 1024 * 1024
LOWEST_RATE, HIGHEST_RATE = 8_000, 48_000


class AudioRefused(ValueError):
    """The upload is not audio we take; `status` is the HTTP answer (413, 415 or 422)."""

    status = 422


class TooBig(AudioRefused):
    status = 413


class NotWav(AudioRefused):
    status = 415


def too_big_message() -> str:
    return gettext("The recording is too big: at most {seconds} seconds ({megabytes} MB) are taken.").format(
        seconds=MAX_SECONDS, megabytes=MAX_BYTES // (1024 * 1024)
    )


def read_wav(data: bytes) -> np.ndarray:
    """The samples of a PCM WAV as 16 kHz mono int16, after checking its header (format, rate, length)."""
    if len(data) > MAX_BYTES:
        raise TooBig(too_big_message())
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise NotWav(gettext("That is not a WAV recording; record again with the button."))
    try:
        with wave.open(io.BytesIO(data)) as recording:
            channels, width, rate = recording.getnchannels(), recording.getsampwidth(), recording.getframerate()
            frames = recording.getnframes()
            _check_header(channels, width, rate, frames)
            raw = recording.readframes(frames)
    except (wave.Error, EOFError) as problem:
        raise NotWav(
            gettext("That WAV cannot be read as uncompressed PCM ({problem}).").format(problem=problem)
        ) from problem
    samples = np.frombuffer(raw, dtype="<i2")
    if channels == 2:
        samples = samples[: len(samples) // 2 * 2].reshape(-1, 2).mean(axis=1)
    return _to_engine_rate(samples.astype(np.float32), rate)


def _check_header(channels: int, width: int, rate: int, frames: int) -> None:
    if width != 2:
        raise AudioRefused(gettext("The recording must be 16-bit PCM; it is {bits}-bit.").format(bits=width * 8))
    if channels not in (1, 2):
        raise AudioRefused(gettext("The recording must be mono or stereo; it has {n} channels.").format(n=channels))
    if not LOWEST_RATE <= rate <= HIGHEST_RATE:
        raise AudioRefused(gettext("The recording must be sampled at 8 to 48 kHz; it is {rate} Hz.").format(rate=rate))
    if frames / rate > MAX_SECONDS + 0.5:  # half a second of slack for the browser's last buffer
        raise TooBig(
            gettext("The recording is {seconds} seconds long; at most {most} seconds are taken.").format(
                seconds=f"{frames / rate:.0f}", most=MAX_SECONDS
            )
        )
    if frames == 0:
        raise AudioRefused(gettext("The recording is empty."))


def _to_engine_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate != RATE:
        from scipy.signal import resample_poly  # here: importing SciPy's signal tools costs 0.7 s

        common = math.gcd(RATE, rate)
        samples = resample_poly(samples, RATE // common, rate // common)
    return np.clip(np.round(samples), -32768, 32767).astype(np.int16)
