package io.auricle.server;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Counters and gauges, served in the Prometheus text exposition format (version 0.0.4). */
final class Metrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final DoubleAdder audioSeconds = new DoubleAdder();
    private final DoubleAdder processingSeconds = new DoubleAdder();
    private final LongAdder cancelled = new LongAdder();
    private final IntSupplier queued;
    private final IntSupplier running;

    Metrics(IntSupplier queued, IntSupplier running) {
        this.queued = queued;
        this.running = running;
    }

    void request(String endpoint, int status) {
        requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    }

    void transcribed(double audio, double seconds) {
        audioSeconds.add(audio);
        processingSeconds.add(seconds);
    }

    void cancelled() {
        cancelled.increment();
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        header(sb, "auricle_requests_total", "counter", "Requests answered, by endpoint and HTTP status.");
        for (var e : new TreeMap<>(requests).entrySet()) {
            String[] key = e.getKey().split("\u0000");
            sb.append("auricle_requests_total{endpoint=\"").append(key[0]).append("\",status=\"").append(key[1])
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
        gauge(sb, "auricle_queue_length", "Admitted requests waiting for a worker.", queued.getAsInt());
        gauge(sb, "auricle_requests_in_progress", "Requests being transcribed now.", running.getAsInt());
        counter(sb, "auricle_cancelled_total", "Transcriptions stopped because the client went away.", cancelled.sum());
        counter(sb, "auricle_audio_seconds_total", "Seconds of audio transcribed.", audioSeconds.sum());
        counter(sb, "auricle_processing_seconds_total", "Worker seconds spent transcribing.", processingSeconds.sum());
        double audio = audioSeconds.sum(), busy = processingSeconds.sum();
        gauge(sb, "auricle_realtime_factor", "Audio seconds per worker second since start (x real time).",
                busy > 0 ? audio / busy : 0);
        return sb.toString();
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, double value) {
        header(sb, name, "gauge", help);
        sb.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, double value) {
        header(sb, name, "counter", help);
        sb.append(name).append(' ').append(number(value)).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6f", v);
    }
}
