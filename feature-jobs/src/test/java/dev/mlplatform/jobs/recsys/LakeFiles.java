package dev.mlplatform.jobs.recsys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;

/**
 * Reads the lake's Parquet files as a Spark job would: with parquet-avro, the finished files only. Without
 * Hadoop's configuration classes (mapreduce is not on the classpath): plain Parquet configuration.
 */
final class LakeFiles {

    private LakeFiles() {
    }

    static List<GenericRecord> rows(Path file) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader =
                     AvroParquetReader.genericRecordReader(new LocalInputFile(file), new PlainParquetConfiguration())) {
            for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** The compression of every column chunk of the file. */
    static List<CompressionCodecName> codecs(Path file) throws IOException {
        try (ParquetFileReader parquet = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            return parquet.getFooter().getBlocks().stream()
                    .flatMap(block -> block.getColumns().stream().map(ColumnChunkMetaData::getCodec)).toList();
        }
    }

    /** The finished files of the interactions table under {@code lakeDir}, by partition directory ({@code dt=...}). */
    static Map<String, List<Path>> finishedFiles(Path lakeDir) throws IOException {
        Map<String, List<Path>> files = new TreeMap<>();
        Path table = lakeDir.resolve(InteractionLake.TABLE);
        if (!Files.isDirectory(table)) {
            return files;
        }
        try (Stream<Path> all = Files.walk(table)) {
            all.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .forEach(file -> files.computeIfAbsent(file.getParent().getFileName().toString(),
                            partition -> new ArrayList<>()).add(file));
        }
        return files;
    }
}
