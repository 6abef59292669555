namespace MLPipelines.Imaging.Augmentation;

/// <summary>Checks and target arithmetic shared by the batch augmentations.</summary>
internal static class BatchMixing
{
    /// <summary>Throws a one-line error unless the batch is non-empty, labels match and all images share one size.</summary>
    public static void Validate(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount, string operation)
    {
        if (images.Count == 0) throw new ArgumentException($"{operation}: the batch is empty");
        if (labels.Count != images.Count) throw new ArgumentException($"{operation}: {images.Count} images but {labels.Count} labels");
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i].Width != images[0].Width || images[i].Height != images[0].Height)
                throw new ArgumentException($"{operation}: image {i} is {images[i].Width}×{images[i].Height}, image 0 is {images[0].Width}×{images[0].Height}; a batch needs one size");
            if (labels[i] < 0 || labels[i] >= classCount)
                throw new ArgumentException($"{operation}: label {labels[i]} of image {i} is outside 0..{classCount - 1}");
        }
    }

    /// <summary>Targets with weight <paramref name="own"/>[i] on image i's label and the rest on its partner's label.</summary>
    public static float[] Targets(IReadOnlyList<int> labels, IReadOnlyList<int> partner, IReadOnlyList<double> own, int classCount)
    {
        var targets = new float[labels.Count * classCount];
        for (int i = 0; i < labels.Count; i++)
        {
            targets[i * classCount + labels[i]] += (float)own[i];
            targets[i * classCount + labels[partner[i]]] += (float)(1 - own[i]);
        }
        return targets;
    }

    /// <summary>torchvision's pairing for mixup and cutmix: <c>roll(1)</c>, image i mixed with image i − 1.</summary>
    public static int[] Rolled(int count) => [.. Enumerable.Range(0, count).Select(i => (i + count - 1) % count)];

    /// <summary>
    /// A uniformly random cyclic permutation (Sattolo's algorithm): for two or more images no image is its own partner.
    /// </summary>
    public static int[] Derangement(int count, Random random)
    {
        var partner = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i); // j < i, never i: this is what makes the permutation a single cycle
            (partner[i], partner[j]) = (partner[j], partner[i]);
        }
        return partner;
    }
}
