// The recorder's audio thread: passes the microphone's samples (mono, the context's rate) to voice.js
// in blocks of 4096. It keeps nothing and sends nothing anywhere else.
class VoiceRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(4096);
    this.filled = 0;
    // Stopping asks for the last, partly filled block, so the final words are not cut off.
    this.port.onmessage = () => {
      this.port.postMessage(this.block.slice(0, this.filled));
      this.port.postMessage("done");
      this.filled = 0;
    };
  }

  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length) {
      const length = channels[0].length;
      for (let i = 0; i < length; i++) {
        let sum = 0;
        for (const channel of channels) sum += channel[i];
        this.block[this.filled++] = sum / channels.length;
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block);
          this.block = new Float32Array(4096);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor("voice-recorder", VoiceRecorder);
