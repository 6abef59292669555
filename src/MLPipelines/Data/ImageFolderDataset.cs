using MLPipelines.Imaging;

namespace MLPipelines.Data;

/// <summary>
/// An image dataset stored as one subfolder per class (<c>root/&lt;class&gt;/*.jpg</c>), as torchvision's ImageFolder.
/// JPEG, PNG, BMP and WebP are read; grayscale, CMYK and alpha images are converted to RGB when decoded
/// (see <see cref="ImageDecoder"/>). Files that are not images, or are corrupt, are skipped and listed in <see cref="Skipped"/>.
/// Classes and files are sorted by ordinal name, so the order never depends on the file system.
/// </summary>
public sealed class ImageFolderDataset
{
    private ImageFolderDataset(string root, IReadOnlyList<string> classes, IReadOnlyList<LabeledImage> images, IReadOnlyList<SkippedFile> skipped)
    {
        Root = root;
        Classes = classes;
        Images = images;
        Skipped = skipped;
    }

    /// <summary>The dataset folder.</summary>
    public string Root { get; }

    /// <summary>Class names, sorted; the index of a class is its label index.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Usable images, sorted by class then file name.</summary>
    public IReadOnlyList<LabeledImage> Images { get; }

    /// <summary>Files that were not used, with the reason.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Number of usable images per class, in class order.</summary>
    public IReadOnlyDictionary<string, int> CountPerClass() =>
        Classes.ToDictionary(c => c, c => Images.Count(i => i.Label == c));

    /// <summary>Scans <paramref name="root"/>; throws <see cref="DataException"/> when it is not a usable classification dataset.</summary>
    public static ImageFolderDataset Load(string root, ImageFolderOptions? options = null, IProgress<(int Done, int Total)>? progress = null)
    {
        options ??= new ImageFolderOptions();
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            throw new DataException(File.Exists(root)
                ? $"{root}: is a file; expected a folder with one subfolder per class"
                : $"{root}: folder does not exist");

        var classFolders = Directory.GetDirectories(root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (classFolders.Count == 0)
            throw new DataException($"{root}: has no class subfolders; expected one folder per class (e.g. {root}/cat/*.jpg, {root}/dog/*.jpg)");
        if (classFolders.Count == 1)
            throw new DataException($"{root}: has only one class folder ('{Path.GetFileName(classFolders[0])}'); a classifier needs at least two");

        var candidates = new List<LabeledImage>();
        var skipped = new List<SkippedFile>();
        foreach (var folder in classFolders)
        {
            string label = Path.GetFileName(folder);
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(file).StartsWith('.'))
                    continue; // hidden files (.DS_Store, editor swap files) are not data
                if (ImageDecoder.SupportedExtensions.Contains(Path.GetExtension(file)))
                    candidates.Add(new LabeledImage(file, label));
                else
                    skipped.Add(new SkippedFile(file, $"not an image file (extension '{Path.GetExtension(file)}')"));
            }
        }

        var images = options.VerifyImages ? Verify(candidates, skipped, options, progress) : candidates;
        var classes = classFolders.Select(Path.GetFileName).Cast<string>().ToList();
        foreach (var label in classes)
        {
            if (images.Any(i => i.Label == label)) continue;
            int skippedHere = skipped.Count(s => Path.GetFileName(Path.GetDirectoryName(s.Path)) == label);
            throw new DataException($"{Path.Combine(root, label)}: class '{label}' has no usable images" +
                (skippedHere > 0 ? $" ({skippedHere} file(s) skipped as unreadable or not images)" : " (the folder is empty)"));
        }
        skipped.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new ImageFolderDataset(root, classes, images, skipped);
    }

    private static List<LabeledImage> Verify(List<LabeledImage> candidates, List<SkippedFile> skipped, ImageFolderOptions options,
        IProgress<(int, int)>? progress)
    {
        var problems = new string?[candidates.Count];
        int done = 0;
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism) }, i =>
        {
            try
            {
                using var bitmap = ImageDecoder.Decode(candidates[i].Path);
            }
            catch (InvalidImageException e)
            {
                problems[i] = e.Problem;
            }
            int finished = Interlocked.Increment(ref done);
            if (finished % 64 == 0 || finished == candidates.Count)
                progress?.Report((finished, candidates.Count));
        });
        var good = new List<LabeledImage>(candidates.Count);
        for (int i = 0; i < candidates.Count; i++)
        {
            if (problems[i] is { } problem)
                skipped.Add(new SkippedFile(candidates[i].Path, problem));
            else
                good.Add(candidates[i]);
        }
        return good;
    }
}
