"""The decoder's own process: 16 kHz mono int16 samples on standard input, the words heard on standard output.

Run by engine.transcribe as `python -m reciprocity.voice.decode`; it imports nothing of the app.
"""

import sys


def decode(raw: bytes) -> str:
    """The words heard, lower case, without punctuation ("" for none), by the model inside the pocketsphinx wheel."""
    from pocketsphinx import Decoder

    decoder = Decoder(loglevel="FATAL")  # the bundled en-us model; its logs would go to stderr otherwise
    decoder.start_utt()
    # Whole, not in blocks: fed as a stream the decoder starts with a poor estimate of the voice's loudness
    # and hears almost nothing right. A fresh decoder each time: the same recording gives the same words.
    decoder.process_raw(raw, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr.strip() if hypothesis else ""


if __name__ == "__main__":
    sys.stdout.write(decode(sys.stdin.buffer.read()))
