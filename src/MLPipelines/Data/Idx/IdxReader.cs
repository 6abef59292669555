using System.IO.Compression;

namespace MLPipelines.Data.Idx;

/// <summary>
/// Reads LeCun's idx format (MNIST, Fashion-MNIST), gzip-compressed (<c>.gz</c>) or plain. Header: two zero bytes, a type
/// code, the number of dimensions, then one big-endian int32 per dimension; the values follow. Only unsigned bytes (type
/// 0x08) are supported, which is what image and label files use. Every inconsistency is a one-line <see cref="DataException"/>
/// naming the file.
/// </summary>
public static class IdxReader
{
    /// <summary>The type code of unsigned bytes.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>Reads <paramref name="path"/>; a name ending in <c>.gz</c> is decompressed on the fly.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new DataException($"{path}: idx file does not exist");
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, path);
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{path}: not a valid gzip file ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>Reads an idx stream; <paramref name="name"/> names it in errors.</summary>
    public static IdxArray Read(Stream stream, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        if (!ReadFully(stream, magic))
            throw new DataException($"{name}: too short for an idx header (fewer than 4 bytes)");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataException($"{name}: not an idx file (magic bytes {magic[0]:x2} {magic[1]:x2}, expected 00 00)");
        if (magic[2] != UnsignedByte)
            throw new DataException($"{name}: idx value type 0x{magic[2]:x2} is not supported (only unsigned bytes, 0x08)");
        int rank = magic[3];
        if (rank is < 1 or > 4)
            throw new DataException($"{name}: idx header has {rank} dimensions; expected 1 to 4");

        var dimensions = new int[rank];
        Span<byte> size = stackalloc byte[4];
        long total = 1;
        for (int d = 0; d < rank; d++)
        {
            if (!ReadFully(stream, size))
                throw new DataException($"{name}: idx header ends inside the size of dimension {d}");
            dimensions[d] = (size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3];
            if (dimensions[d] <= 0)
                throw new DataException($"{name}: idx dimension {d} has size {dimensions[d]}; sizes must be positive");
            total *= dimensions[d];
        }
        if (total > Array.MaxLength)
            throw new DataException($"{name}: idx dimensions {string.Join("×", dimensions)} are too large for one array");

        var data = new byte[total];
        int read = ReadUpTo(stream, data);
        if (read < total)
            throw new DataException($"{name}: header says {string.Join("×", dimensions)} = {total} values but the file holds only {read}");
        if (stream.ReadByte() >= 0)
            throw new DataException($"{name}: file holds more data than its header's {string.Join("×", dimensions)} = {total} values");
        return new IdxArray(dimensions, data);
    }

    private static bool ReadFully(Stream stream, Span<byte> buffer) => ReadUpTo(stream, buffer) == buffer.Length;

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
