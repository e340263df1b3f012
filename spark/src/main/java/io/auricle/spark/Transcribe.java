package io.auricle.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The DataFrame API: for users who already have a DataFrame of audio paths or of audio bytes.
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("s3a://bucket/calls/*.mp3"); // path, content, ...
 * Dataset<Row> out = Transcribe.withTranscription(files, "content", TranscribeSettings.defaults("tiny.en"));
 * }</pre>
 *
 * The partitioning is the input's; {@link TranscribeJob} balances partitions by audio duration first.
 */
public final class Transcribe {
    private Transcribe() {}

    /**
     * The input with the {@link TranscriptionRows#COLUMNS} added, one output row per input row. {@code column}
     * holds paths (string: local, or any Hadoop file system URI) or the files' bytes (binary). A file that
     * fails gets its error in the {@code error} column; the other columns are then null.
     */
    public static Dataset<Row> withTranscription(Dataset<Row> input, String column, TranscribeSettings settings) {
        StructType schema = input.schema();
        int index = schema.fieldIndex(column);
        DataType type = schema.fields()[index].dataType();
        if (!(type instanceof StringType) && !(type instanceof BinaryType)) {
            throw new IllegalArgumentException("column '" + column + "' must hold paths (string) or audio bytes (binary),"
                    + " not " + type.simpleString());
        }
        boolean bytes = type instanceof BinaryType;
        // binaryFile's DataFrames carry the path beside the content: name errors after it.
        int pathIndex = bytes && schema.getFieldIndex("path").isDefined() ? schema.fieldIndex("path") : -1;
        StructType out = schema.merge(TranscriptionRows.COLUMNS, false);
        return input.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> transcribeAll(rows, settings, index, bytes,
                pathIndex), Encoders.row(out));
    }

    private static Iterator<Row> transcribeAll(Iterator<Row> rows, TranscribeSettings settings, int index,
                                               boolean bytes, int pathIndex) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row row = rows.next();
                Object[] added;
                if (row.isNullAt(index)) {
                    added = TranscriptionRows.failed(settings, "no audio (null " + (bytes ? "bytes" : "path") + ")");
                } else if (bytes) {
                    String name = pathIndex >= 0 && !row.isNullAt(pathIndex) ? row.getString(pathIndex) : "audio bytes";
                    added = TranscriptionRows.transcribe(settings, name, (byte[]) row.get(index), Double.NaN);
                } else {
                    added = TranscriptionRows.transcribe(settings, row.getString(index), null, Double.NaN);
                }
                List<Object> values = new ArrayList<>(row.size() + added.length);
                for (int i = 0; i < row.size(); i++) values.add(row.get(i));
                for (Object v : added) values.add(v);
                return RowFactory.create(values.toArray());
            }
        };
    }
}
