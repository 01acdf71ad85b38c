"""Reading a recording: the header is checked before the samples are decoded, and any accepted WAV
becomes 16 kHz mono 16-bit samples."""

import numpy as np
import pytest

from reciprocity.voice.audio import MAX_BYTES, AudioRefused, NotWav, TooBig, read_wav
from reciprocity.voice.tests.recordings import silence, spoken, spoken_samples, wav_bytes

pytestmark = pytest.mark.engine_independent  # no database


def test_a_16_khz_mono_recording_is_taken_as_it_is():
    samples, rate = spoken_samples()
    assert rate == 16_000
    assert np.array_equal(read_wav(spoken()), samples)


def test_a_44_1_khz_stereo_recording_is_mixed_down_and_resampled_to_16_khz():
    samples, _ = spoken_samples()
    stereo = np.repeat(samples, 2)  # the same sound on both channels, at 16 kHz...
    heard = read_wav(wav_bytes(stereo, 44_100, channels=2))  # ...labelled 44.1 kHz, so it lasts 16/44.1 as long
    assert heard.dtype == np.int16
    assert len(heard) == pytest.approx(len(samples) * 16_000 / 44_100, abs=2)


def test_91_seconds_is_refused_as_too_long_from_the_header():
    with pytest.raises(TooBig, match="91 seconds long; at most 90"):
        read_wav(silence(91))


def test_90_seconds_is_taken():
    assert len(read_wav(silence(90))) == 90 * 16_000


def test_more_bytes_than_the_cap_are_refused_before_reading_them():
    with pytest.raises(TooBig):
        read_wav(b"RIFF" + bytes(MAX_BYTES))


@pytest.mark.parametrize("data", [b"", b"hello", b"ID3\x04" + bytes(100), b"RIFF\x00\x00\x00\x00AVI LIST"])
def test_anything_but_a_wav_is_refused(data):
    with pytest.raises(NotWav):
        read_wav(data)


def test_a_truncated_wav_is_refused_as_unreadable():
    with pytest.raises(NotWav):
        read_wav(spoken()[:30])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (wav_bytes(np.zeros(800, dtype=np.uint8), 8_000, width=1), "16-bit"),
        (wav_bytes(np.zeros(800), 96_000), "8 to 48 kHz"),
        (wav_bytes(np.zeros(800), 4_000), "8 to 48 kHz"),
        (wav_bytes(np.zeros(0), 16_000), "empty"),
    ],
)
def test_a_wav_the_engine_cannot_hear_is_refused_with_a_reason(data, message):
    with pytest.raises(AudioRefused, match=message) as refusal:
        read_wav(data)
    assert refusal.value.status == 422
