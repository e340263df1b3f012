package io.auricle.vad;

import java.util.ArrayList;
import java.util.List;

/**
 * Speech chunks from per-frame speech probabilities, as faster-whisper's {@code get_speech_timestamps}
 * (adapted there from Silero's): hysteresis between {@code threshold} and {@code negThreshold}, a chunk ends after
 * {@code minSilenceDurationMs} of silence, long chunks are split, short ones dropped, then every chunk is padded
 * by {@code speechPadMs} (or by half the gap when two chunks are closer than two pads).
 *
 * <p>The arithmetic follows the reference's exactly, including where it mixes float and integer sample counts,
 * so the chunk boundaries are the same samples.
 */
public final class SpeechTimestamps {

    private SpeechTimestamps() {}

    /** Runs the model on {@code audio} (16 kHz mono) and returns its speech chunks. */
    public static List<SpeechChunk> detect(SileroVad vad, float[] audio, VadOptions options) {
        return detect(vad, audio, audio.length, options);
    }

    /** As {@link #detect(SileroVad, float[], VadOptions)} on the first {@code length} samples of {@code audio}. */
    public static List<SpeechChunk> detect(SileroVad vad, float[] audio, int length, VadOptions options) {
        return fromProbabilities(vad.speechProbabilities(audio, length), length, options);
    }

    /** Speech chunks of an audio of {@code audioLength} samples, from its frame probabilities. */
    public static List<SpeechChunk> fromProbabilities(float[] probabilities, int audioLength, VadOptions options) {
        final int window = SileroVad.FRAME;
        final double rate = SileroVad.SAMPLE_RATE;
        double threshold = options.threshold();
        double negThreshold = options.effectiveNegThreshold();
        double minSpeechSamples = rate * options.minSpeechDurationMs() / 1000;
        double speechPadSamples = rate * options.speechPadMs() / 1000;
        double maxSpeechSamples = rate * options.maxSpeechDurationS() - window - 2 * speechPadSamples;
        double minSilenceSamples = rate * options.minSilenceDurationMs() / 1000;
        double minSilenceSamplesAtMaxSpeech = rate * 98 / 1000;

        boolean triggered = false;
        List<int[]> speeches = new ArrayList<>();
        int[] current = null;                 // {start, end}; null when the reference's dict is empty
        int tempEnd = 0;                      // a possible end, while silence is being tolerated
        int prevEnd = 0;                      // the last silence long enough to split a too-long chunk at
        int nextStart = 0;

        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            int sample = window * i;
            if (p >= threshold && tempEnd != 0) {
                tempEnd = 0;
                if (nextStart < prevEnd) {
                    nextStart = sample;
                }
            }
            if (p >= threshold && !triggered) {
                triggered = true;
                current = new int[] {sample, 0};
                continue;
            }
            if (triggered && sample - current[0] > maxSpeechSamples) {
                if (prevEnd != 0) {
                    current[1] = prevEnd;
                    speeches.add(current);
                    current = null;
                    if (nextStart < prevEnd) {   // still silence since that split point
                        triggered = false;
                    } else {
                        current = new int[] {nextStart, 0};
                    }
                    prevEnd = nextStart = tempEnd = 0;
                } else {
                    current[1] = sample;
                    speeches.add(current);
                    current = null;
                    prevEnd = nextStart = tempEnd = 0;
                    triggered = false;
                    continue;
                }
            }
            if (p < negThreshold && triggered) {
                if (tempEnd == 0) {
                    tempEnd = sample;
                }
                if (sample - tempEnd > minSilenceSamplesAtMaxSpeech) {
                    prevEnd = tempEnd;
                }
                if (sample - tempEnd < minSilenceSamples) {
                    continue;
                }
                current[1] = tempEnd;
                if (current[1] - current[0] > minSpeechSamples) {
                    speeches.add(current);
                }
                current = null;
                prevEnd = nextStart = tempEnd = 0;
                triggered = false;
            }
        }
        if (current != null && audioLength - current[0] > minSpeechSamples) {
            current[1] = audioLength;
            speeches.add(current);
        }
        pad(speeches, audioLength, speechPadSamples);
        List<SpeechChunk> chunks = new ArrayList<>(speeches.size());
        for (int[] s : speeches) {
            chunks.add(new SpeechChunk(s[0], s[1]));
        }
        return List.copyOf(chunks);
    }

    private static void pad(List<int[]> speeches, int audioLength, double padSamples) {
        for (int i = 0; i < speeches.size(); i++) {
            int[] speech = speeches.get(i);
            if (i == 0) {
                speech[0] = (int) Math.max(0, speech[0] - padSamples);
            }
            if (i != speeches.size() - 1) {
                int[] next = speeches.get(i + 1);
                int silence = next[0] - speech[1];
                if (silence < 2 * padSamples) {
                    speech[1] += Math.floorDiv(silence, 2);
                    next[0] = Math.max(0, next[0] - Math.floorDiv(silence, 2));
                } else {
                    speech[1] = (int) Math.min(audioLength, speech[1] + padSamples);
                    next[0] = (int) Math.max(0, next[0] - padSamples);
                }
            } else {
                speech[1] = (int) Math.min(audioLength, speech[1] + padSamples);
            }
        }
    }
}
