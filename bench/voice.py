"""Speech to text on this machine: PocketSphinx's bundled model on espeak-ng speech (docs/voice.md).

Prints the model's load time and memory, the decoding time of a ~20 s clip and of each reference
clip, and the word error rate (WER) against the words espeak-ng was given. espeak-ng's synthetic voice
is a weak stand-in for a real person speaking: the numbers say the pipeline works, not how well a
therapist's own voice will be heard. Needs espeak-ng and sox (Debian packages).

    .venv/bin/python bench/voice.py
"""

import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

SENTENCES = [
    "one two three four five six seven eight nine ten",
    "today my client taught me patience",
    "I felt calm and grateful at the end of the session",
    "I will carry home the idea that one small step is enough",
    "tomorrow I will walk with my family and listen more",
    "the work reminded me to set boundaries with my own time",
]
VOICE, SPEED = "en-us+m3", 130  # the voice and words a minute that PocketSphinx heard best of those tried


def speak(text: str, folder: Path) -> np.ndarray:
    raw, wav = folder / "raw.wav", folder / "16k.wav"
    subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(SPEED), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    from reciprocity.voice.audio import read_wav

    return read_wav(wav.read_bytes())


def word_errors(reference: list[str], heard: list[str]) -> int:
    """Levenshtein distance over words: substitutions + deletions + insertions."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(heard, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def main() -> None:
    from reciprocity.voice import engine

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    engine.transcribe(np.zeros(1600, dtype=np.int16))  # loads the model
    print(f"model load + first call: {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        clips = [speak(text, Path(folder)) for text in SENTENCES]
    errors = words = 0
    for text, clip in zip(SENTENCES, clips, strict=True):
        started = time.perf_counter()
        heard = engine.transcribe(clip)
        errors += word_errors(text.lower().split(), heard.split())
        words += len(text.split())
        took = time.perf_counter() - started
        print(f"{len(clip) / 16000:5.1f} s in {took:4.2f} s | said: {text}\n{'':22}| heard: {heard}")
    print(f"word error rate: {errors}/{words} = {errors / words:.0%}")
    pause = np.zeros(8000, dtype=np.int16)
    long_clip = np.concatenate([part for clip in clips for part in (clip, pause)])
    while len(long_clip) < 20 * 16000:
        long_clip = np.concatenate([long_clip, long_clip])
    long_clip = long_clip[: 20 * 16000]
    started, cpu = time.perf_counter(), time.process_time()
    engine.transcribe(long_clip)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"a 20.0 s clip: {wall:.2f} s to transcribe ({cpu:.2f} s of CPU: the wall time when a core is free)")
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {rss_after:.0f} MB ({rss_after - rss_before:+.0f} MB for the engine and the clips)")


if __name__ == "__main__":
    import django

    django.setup()
    main()
