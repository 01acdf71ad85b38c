// "Speak instead of typing" beside the reflection's two text boxes (reciprocity/voice, docs/voice.md).
// Records at most 90 s from the microphone as 16 kHz mono 16-bit WAV, sends it to this server only,
// and adds the words it hears to the text box for editing. The browser's own speech recognition sends
// audio to a company's servers, so it is never used here.
(() => {
  const box = document.getElementById("voice-controls");
  const supported = window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia &&
    window.AudioContext && window.AudioWorkletNode;
  if (!box || !supported) return;
  const RATE = 16000;
  const maxSeconds = Number(box.dataset.maxSeconds) || 90;
  let active = null; // the recording in progress, if any: one at a time

  // The words shown, in the page's language (voice/controls.html writes them as JSON; offline/script_texts.py).
  const texts = (() => {
    try { return JSON.parse(document.getElementById("voice-texts")?.textContent || "{}"); }
    catch { return {}; }
  })();
  const say = (key, english, values = {}) => (texts[key] || english)
    .replace(/\{(\w+)\}/g, (hole, name) => (name in values ? String(values[name]) : hole));

  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

  function uploadUrl() {
    const url = new URL(box.dataset.url, window.location.href);
    const chosen = document.getElementById("id_session"); // a new reflection whose session is picked on the form
    if (!url.search && chosen && chosen.value) url.searchParams.set("session", chosen.value);
    return url;
  }

  // Average each window of the input down to one sample at 16 kHz (a box filter is enough for speech).
  function downsample(samples, inputRate) {
    const ratio = inputRate / RATE;
    const out = new Float32Array(Math.min(Math.floor(samples.length / ratio), maxSeconds * RATE));
    for (let i = 0; i < out.length; i++) {
      const start = Math.floor(i * ratio);
      const end = Math.max(start + 1, Math.floor((i + 1) * ratio));
      let sum = 0;
      for (let j = start; j < end; j++) sum += samples[j];
      out[i] = sum / (end - start);
    }
    return out;
  }

  function wav(samples) {
    const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
    const text = (offset, value) => [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
    text(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, RATE, true); view.setUint32(28, RATE * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, samples.length * 2, true);
    samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
    return new Blob([view], { type: "audio/wav" });
  }

  function joined(chunks) {
    const all = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) { all.set(c, at); at += c.length; }
    return all;
  }

  function append(textarea, words) {
    const before = textarea.value;
    const gap = before && !/\s$/.test(before) ? " " : "";
    textarea.value = before + gap + words;
    textarea.dispatchEvent(new Event("input", { bubbles: true })); // drafts and counters see the change
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  async function start(control) {
    control.status.textContent = say("asking", "Asking your browser for the microphone…");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    } catch (error) {
      control.status.textContent = say("notAllowed", "The microphone was not allowed or is not there; you can type instead.");
      return;
    }
    const context = new AudioContext();
    let node;
    try {
      await context.audioWorklet.addModule(box.dataset.worklet);
      node = new AudioWorkletNode(context, "voice-recorder");
    } catch (error) {
      stream.getTracks().forEach((track) => track.stop());
      await context.close();
      control.status.textContent = say("cannotRecord", "This browser cannot record here; you can type instead.");
      return;
    }
    const source = context.createMediaStreamSource(stream);
    const chunks = [];
    let finished;
    const flushed = new Promise((resolve) => { finished = resolve; });
    node.port.onmessage = (event) => { if (event.data === "done") finished(); else chunks.push(event.data); };
    source.connect(node).connect(context.destination); // the recorder writes silence; connecting keeps it running
    let left = maxSeconds;
    const tick = () => {
      control.status.textContent = say("recording", "● Recording: {time} left. Press Stop when you are done.", {
        time: clock(left),
      });
    };
    tick();
    const timer = setInterval(() => { left -= 1; if (left <= 0) stop(control); else tick(); }, 1000);
    active = { control, stream, context, node, chunks, flushed, timer };
    control.button.textContent = say("stop", "Stop recording");
    control.button.setAttribute("aria-pressed", "true");
    control.wrapper.classList.add("is-recording");
  }

  async function stop(control) {
    const rec = active;
    if (!rec || rec.control !== control || rec.stopping) return;
    rec.stopping = true;
    clearInterval(rec.timer);
    rec.node.port.postMessage("flush");
    await Promise.race([rec.flushed, new Promise((r) => setTimeout(r, 500))]);
    rec.stream.getTracks().forEach((track) => track.stop()); // the browser's recording indicator goes off
    const rate = rec.context.sampleRate;
    await rec.context.close();
    control.button.textContent = say("speak", "Speak instead of typing");
    control.button.setAttribute("aria-pressed", "false");
    control.wrapper.classList.remove("is-recording");
    control.button.disabled = true;
    control.status.textContent = say("turning", "Turning your words into text on this server…");
    const body = wav(downsample(joined(rec.chunks), rate));
    rec.chunks.length = 0;
    active = null;
    try {
      await send(control, body);
    } finally {
      control.button.disabled = false;
    }
  }

  async function send(control, body) {
    const token = document.querySelector('meta[name="csrf-token"]');
    let response;
    try {
      response = await fetch(uploadUrl(), {
        method: "POST", body, credentials: "same-origin",
        headers: { "Content-Type": "audio/wav", "X-CSRFToken": token ? token.content : "" },
      });
    } catch (error) {
      control.status.textContent = say(
        "unreachable", "This server cannot be reached; nothing was sent. Type instead, or try again.",
      );
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (response.redirected || !type.startsWith("application/json")) {
      control.status.textContent = say("signedOut", "You were signed out. Sign in again, then record again.");
      return;
    }
    const answer = await response.json();
    if (!response.ok) {
      control.status.textContent = answer.error || say("failed", "The recording could not be turned into text.");
    } else if (!answer.text) {
      control.status.textContent = say("noWords", "No words were heard. Try again closer to the microphone, or type.");
    } else {
      append(control.textarea, answer.text);
      control.status.textContent = say(
        "added", "Added to the end of the text, and the recording deleted. Check and edit it before saving.",
      );
    }
  }

  for (const id of box.dataset.targets.split(" ")) {
    const textarea = document.getElementById(id);
    if (!textarea) continue;
    const wrapper = document.createElement("div");
    wrapper.className = "voice";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary voice-button";
    button.textContent = say("speak", "Speak instead of typing");
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", id);
    const status = document.createElement("span");
    status.className = "voice-status small";
    status.setAttribute("role", "status");
    status.id = `${id}_voice_status`;
    button.setAttribute("aria-describedby", status.id);
    wrapper.append(button, status);
    textarea.insertAdjacentElement("afterend", wrapper);
    const control = { wrapper, button, status, textarea };
    button.addEventListener("click", () => {
      if (active && active.control === control) stop(control);
      else if (!active) start(control);
      else status.textContent = say("busy", "Another box is recording; stop that one first.");
    });
  }
  box.hidden = false;
})();
