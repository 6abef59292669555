using System.Formats.Tar;
using System.IO.Compression;
using MLPipelines.Catalog;
using MLPipelines.Imaging;

namespace MLPipelines.Data.Cifar10;

/// <summary>
/// Reads CIFAR-10 straight from the JPEG archive <c>cifar10-jpg.tar.gz</c> (entries <c>cifar10-jpg/{train,test}/&lt;class&gt;/NNNN.jpg</c>)
/// with System.Formats.Tar and SkiaSharp, in one streaming pass, or extracts it once into the cache as image folders for
/// <see cref="ImageFolderDataset"/>. The JPEGs are quality 75, so pixels differ from the original CIFAR-10 (about 6/255 on average).
/// </summary>
public static class Cifar10Archive
{
    /// <summary>The catalog name of the dataset.</summary>
    public const string DatasetName = "cifar10";

    private const string Root = "cifar10-jpg/";

    /// <summary>The ten class names in the standard label order.</summary>
    public static IReadOnlyList<string> Classes => DatasetCatalog.BuiltIn.Get(DatasetName).Classes;

    /// <summary>The verified path of the archive, found by <paramref name="assets"/>.</summary>
    public static string Locate(AssetLocator assets)
    {
        var card = DatasetCatalog.BuiltIn.Get(DatasetName);
        return assets.LocateFile(AssetKind.Datasets, card.FileFor("archive"), $"dataset '{card.Name}'");
    }

    /// <summary>Decodes the images of <paramref name="selection"/> from the archive at <paramref name="archivePath"/>.</summary>
    public static Cifar10Set Read(string archivePath, Cifar10Selection? selection = null, IProgress<ProgressUpdate>? progress = null)
    {
        selection ??= new Cifar10Selection();
        if (selection.Split is not ("train" or "test"))
            throw new DataException($"{archivePath}: CIFAR-10 split '{selection.Split}' does not exist; use train or test");
        var classes = selection.Classes ?? Classes;
        var labelOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++)
        {
            if (!Classes.Contains(classes[i]))
                throw new DataException($"{archivePath}: CIFAR-10 has no class '{classes[i]}'; classes: {string.Join(", ", Classes)}");
            if (!labelOf.TryAdd(classes[i], i))
                throw new DataException($"{archivePath}: class '{classes[i]}' is selected twice");
        }

        // The archive lists files in no particular order: keep the encoded bytes, then sort by (label, number) and apply the caps.
        var encoded = new List<(int Label, int Number, byte[] Bytes, string Name)>();
        string prefix = Root + selection.Split + "/";
        int expected = selection.Split == "train" ? 50_000 : 10_000, seen = 0;
        foreach (var (name, bytes) in JpegEntries(archivePath, prefix))
        {
            seen++;
            var parts = name[prefix.Length..].Split('/');
            if (parts.Length != 2 || !int.TryParse(Path.GetFileNameWithoutExtension(parts[1]), out int number))
                throw new DataException($"{archivePath}: unexpected entry '{name}'; expected {prefix}<class>/NNNN.jpg");
            if (labelOf.TryGetValue(parts[0], out int label))
                encoded.Add((label, number, bytes(), name));
            progress?.Report(new ProgressUpdate($"read CIFAR-10 {selection.Split}", seen, expected));
        }
        if (seen == 0)
            throw new DataException($"{archivePath}: has no {prefix}<class>/*.jpg entries; is it the CIFAR-10 JPEG archive?");

        var kept = encoded.OrderBy(e => e.Label).ThenBy(e => e.Number)
            .GroupBy(e => e.Label)
            .SelectMany(g => g.Take(selection.CapFor(classes[g.Key]) ?? int.MaxValue))
            .ToList();
        var pixels = new byte[kept.Count * Cifar10Set.ImageBytes];
        Parallel.For(0, kept.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            using var bitmap = ImageDecoder.Decode(kept[i].Bytes, $"{archivePath}:{kept[i].Name}");
            if (bitmap.Width != Cifar10Set.Side || bitmap.Height != Cifar10Set.Side)
                throw new DataException($"{archivePath}:{kept[i].Name}: image is {bitmap.Width}×{bitmap.Height}, expected 32×32");
            ImageDecoder.ToPlanarRgb(bitmap).CopyTo(pixels, i * Cifar10Set.ImageBytes);
        });
        return new Cifar10Set(selection.Split, classes, pixels, [.. kept.Select(k => k.Label)], [.. kept.Select(k => k.Number)]);
    }

    /// <summary>
    /// Extracts the archive once into <c>&lt;cache&gt;/datasets/cifar10-jpg/</c> (a temporary folder renamed when complete, so a
    /// crash never leaves a half-extracted copy) and returns that folder; it holds <c>train/&lt;class&gt;/</c> and <c>test/&lt;class&gt;/</c>.
    /// </summary>
    public static string ExtractToCache(AssetLocator assets, IProgress<ProgressUpdate>? progress = null) =>
        Extract(Locate(assets), Path.Combine(assets.CacheRoot, "datasets"), progress);

    /// <summary>Extracts the images of <paramref name="archivePath"/> into <paramref name="parentFolder"/>/cifar10-jpg unless already there.</summary>
    public static string Extract(string archivePath, string parentFolder, IProgress<ProgressUpdate>? progress = null)
    {
        string target = Path.Combine(parentFolder, Root.TrimEnd('/'));
        if (Directory.Exists(target)) return target;
        Directory.CreateDirectory(parentFolder);
        string temporary = Path.Combine(parentFolder, $".cifar10-jpg-{Guid.NewGuid():N}");
        try
        {
            int done = 0;
            foreach (var (name, bytes) in JpegEntries(archivePath, Root))
            {
                string path = Path.Combine(temporary, name[Root.Length..]);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes());
                progress?.Report(new ProgressUpdate("extract CIFAR-10", ++done, 60_000));
            }
            try
            {
                Directory.Move(temporary, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process finished the same extraction first; its copy is identical.
            }
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
        return target;
    }

    // The .jpg file entries under prefix, in archive order, with a reader for their bytes (valid until the next entry).
    private static IEnumerable<(string Name, Func<byte[]> Bytes)> JpegEntries(string archivePath, string prefix)
    {
        if (!File.Exists(archivePath)) throw new DataException($"{archivePath}: archive does not exist");
        using var file = File.OpenRead(archivePath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = tar.GetNextEntry();
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new DataException($"{archivePath}: not a readable .tar.gz archive ({e.Message.TrimEnd('.')})");
            }
            if (entry is null) yield break;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            if (!entry.Name.StartsWith(prefix, StringComparison.Ordinal) || !entry.Name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)) continue;
            if (entry.Name.Split('/').Contains(".."))
                throw new DataException($"{archivePath}: entry '{entry.Name}' points outside the archive's folder");
            var current = entry;
            yield return (current.Name, () =>
            {
                using var memory = new MemoryStream((int)current.Length);
                current.DataStream!.CopyTo(memory);
                return memory.ToArray();
            });
        }
    }
}
