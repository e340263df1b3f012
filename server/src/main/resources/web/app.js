// The page: upload a file, read the server-sent events of segments as they are decoded, then play the
// audio with the word being spoken highlighted; click a word to seek there. No libraries, no build step.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { file: null, segments: [], spans: [], done: null, current: null };

const LANGUAGES = ["en", "zh", "de", "es", "ru", "ko", "fr", "ja", "pt", "tr", "pl", "ca", "nl", "ar", "sv", "it",
  "id", "hi", "fi", "vi", "he", "uk", "el", "ms", "cs", "ro", "da", "hu", "ta", "no", "th", "ur", "hr", "bg", "lt"];

function headers() {
  const key = $("key").value.trim();
  return key ? { Authorization: "Bearer " + key } : {};
}

async function loadModels() {
  try {
    const r = await fetch("/v1/models", { headers: headers() });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error.message);
    $("model").replaceChildren(...body.data.map((m) => new Option(m.id, m.id)));
  } catch (e) {
    status("Could not list models: " + e.message, true);
  }
}

function status(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

function pick(file) {
  if (!file) return;
  state.file = file;
  $("drop-text").textContent = file.name + " (" + (file.size / 1e6).toFixed(2) + " MB)";
  $("go").disabled = false;
  $("player").src = URL.createObjectURL(file);
  $("player").hidden = false;
}

function clock(seconds) {
  const m = Math.floor(seconds / 60), s = seconds - 60 * m;
  return String(m).padStart(2, "0") + ":" + s.toFixed(2).padStart(5, "0");
}

// One segment as a paragraph of clickable words (or the whole segment when there are no word timestamps).
function addSegment(segment) {
  state.segments.push(segment);
  const p = document.createElement("p");
  p.className = "segment";
  const t = document.createElement("time");
  t.textContent = clock(segment.start);
  p.append(t);
  const pieces = segment.words && segment.words.length ? segment.words
    : [{ word: segment.text.trim(), start: segment.start, end: segment.end }];
  for (const w of pieces) {
    const span = document.createElement("span");
    span.className = "word";
    span.textContent = w.word.trim();
    span.dataset.start = w.start;
    span.dataset.end = w.end;
    p.append(span, " ");
    state.spans.push(span);
  }
  $("transcript").append(p);
}

async function transcribe(event) {
  event.preventDefault();
  if (!state.file) return;
  Object.assign(state, { segments: [], spans: [], done: null, current: null });
  $("transcript").replaceChildren();
  $("downloads").hidden = true;
  $("go").disabled = true;
  const form = new FormData();
  form.append("file", state.file);
  form.append("model", $("model").value || "whisper-1");
  form.append("response_format", "verbose_json");
  form.append("stream", "true");
  const task = $("task").value;
  if (task === "transcribe") {
    if ($("language").value) form.append("language", $("language").value);
    form.append("timestamp_granularities[]", "segment");
    form.append("timestamp_granularities[]", "word");
  }
  status("Uploading…");
  const started = performance.now();
  try {
    const r = await fetch("/v1/audio/" + (task === "translate" ? "translations" : "transcriptions"),
      { method: "POST", body: form, headers: headers() });
    if (!r.ok) throw new Error((await r.json()).error.message);
    status("Transcribing…");
    await readEvents(r.body, (e) => {
      if (e.type === "transcript.text.delta") {
        addSegment(e.segment);
        status("Transcribing… " + clock(e.segment.end));
      } else if (e.type === "transcript.text.done") {
        state.done = e;
      } else if (e.type === "error") {
        throw new Error(e.error.message);
      }
    });
    if (!state.done) throw new Error("the stream ended early");
    const secs = (performance.now() - started) / 1000;
    status("Done: " + state.segments.length + " segments, " + state.done.duration.toFixed(1) + " s of " +
      state.done.language + " in " + secs.toFixed(1) + " s.");
    $("transcript").dataset.done = "true";
    $("downloads").hidden = false;
  } catch (e) {
    status(e.message, true);
  } finally {
    $("go").disabled = false;
  }
}

// Server-sent events from a fetch body: blank-line separated blocks, "data: " lines hold the JSON.
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (data) onEvent(JSON.parse(data));
    }
  }
}

// The word under the play head: the last one that has started.
function highlight() {
  const t = $("player").currentTime;
  let now = null;
  for (const span of state.spans) {
    if (Number(span.dataset.start) <= t + 1e-3) now = span;
    else break;
  }
  if (now && t > Number(now.dataset.end) + 0.5) now = null; // in a pause
  if (now !== state.current) {
    if (state.current) state.current.classList.remove("current");
    if (now) now.classList.add("current");
    state.current = now;
  }
}

function stamp(seconds, comma) {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = Math.floor(ms / 1000) % 60;
  const two = (n) => String(n).padStart(2, "0");
  return two(h) + ":" + two(m) + ":" + two(s) + (comma ? "," : ".") + String(ms % 1000).padStart(3, "0");
}

function exportAs(format) {
  const segs = state.segments;
  if (format === "txt") return segs.map((s) => s.text.trim()).join("\n") + "\n";
  if (format === "json") return JSON.stringify({ text: state.done.text, language: state.done.language,
    duration: state.done.duration, segments: segs }, null, 2);
  const cues = segs.map((s, i) => (format === "srt" ? (i + 1) + "\n" : "") + stamp(s.start, format === "srt") +
    " --> " + stamp(s.end, format === "srt") + "\n" + s.text.trim() + "\n");
  return (format === "vtt" ? "WEBVTT\n\n" : "") + cues.join("\n");
}

function download(event) {
  event.preventDefault();
  const format = event.target.dataset.format;
  if (!format) return;
  const type = format === "json" ? "application/json" : "text/plain";
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([exportAs(format)], { type }));
  a.download = (state.file.name.replace(/\.[^.]+$/, "") || "transcript") + "." + format;
  a.click();
}

$("file").addEventListener("change", () => pick($("file").files[0]));
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); pick(e.dataTransfer.files[0]); });
$("form").addEventListener("submit", transcribe);
$("transcript").addEventListener("click", (e) => {
  if (!e.target.classList.contains("word")) return;
  $("player").currentTime = Number(e.target.dataset.start);
  highlight();
});
$("player").addEventListener("timeupdate", highlight);
$("player").addEventListener("seeked", highlight);
$("downloads").addEventListener("click", download);
$("key").addEventListener("change", loadModels);
$("language").append(...LANGUAGES.map((c) => new Option(c, c)));
loadModels();
