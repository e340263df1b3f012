package io.auricle.model;

import io.auricle.AuricleException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Memory-maps weight files read-only; tensors are slices of the mapping, so nothing is copied to the heap. */
final class MappedFile {
    private MappedFile() {}

    /**
     * Maps the whole file. The automatic arena unmaps it once no slice of it is reachable any more, so loading
     * many checkpoints (tests, a server swapping models) does not pile up mappings the way a global arena would.
     */
    static MemorySegment map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), Arena.ofAuto());
        } catch (NoSuchFileException e) {
            throw new AuricleException(file + ": no such file");
        } catch (IOException e) {
            throw new AuricleException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
