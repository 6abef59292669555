using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>
/// ResNet-18 and ResNet-34 (He et al., 2016) exactly in torchvision's layout, parameter names and initialization, so a
/// torchvision state_dict maps onto the initializers name for name:
/// conv1 7×7/2 (no bias) → bn1 → relu → maxpool 3×3/2 → layer1…layer4 of BasicBlocks (64, 128, 256, 512 channels;
/// [2,2,2,2] or [3,4,6,3] blocks; stride 2 in the first block of layers 2–4, with a 1×1 conv + BN <c>downsample</c>) →
/// global average pool → fc. Convolutions start Kaiming-normal with fan_out (std √(2/fan_out)), BN weight 1 and bias 0,
/// fc PyTorch's default Linear init. With 1000 classes: 11,689,512 (ResNet-18) and 21,797,672 (ResNet-34) parameters,
/// torchvision's counts (BN running statistics are not parameters).
/// </summary>
public static class ResNet
{
    private static readonly int[] StageWidths = [64, 128, 256, 512];

    /// <summary>ResNet-18: BasicBlocks [2, 2, 2, 2].</summary>
    public static ModelProto ResNet18(ResNetOptions? options = null) => Build("resnet18", [2, 2, 2, 2], options ?? new ResNetOptions());

    /// <summary>ResNet-34: BasicBlocks [3, 4, 6, 3].</summary>
    public static ModelProto ResNet34(ResNetOptions? options = null) => Build("resnet34", [3, 4, 6, 3], options ?? new ResNetOptions());

    /// <summary>A BasicBlock ResNet with <paramref name="blocksPerStage"/> blocks in each of the four stages.</summary>
    public static ModelProto Build(string architecture, IReadOnlyList<int> blocksPerStage, ResNetOptions options)
    {
        if (blocksPerStage.Count != StageWidths.Length || blocksPerStage.Any(b => b < 1))
            throw new ArgumentException($"{architecture}: needs 4 stages of at least one block, got [{string.Join(",", blocksPerStage)}]");
        var (g, x) = ClassifierGraph.Start(architecture, options);
        var convInit = WeightInit.KaimingNormal(FanMode.FanOut);

        x = g.Conv2d(x, 64, kernel: 7, stride: 2, padding: 3, bias: false, weightInit: convInit, name: "conv1");
        x = g.BatchNorm2d(x, "bn1");
        x = g.Relu(x, "relu");
        x = g.MaxPool2d(x, kernel: 3, stride: 2, padding: 1, name: "maxpool");
        for (int stage = 0; stage < StageWidths.Length; stage++)
        {
            using var layer = g.Scope($"layer{stage + 1}");
            for (int block = 0; block < blocksPerStage[stage]; block++)
            {
                using var blockScope = g.Scope(block.ToString());
                x = BasicBlock(g, x, StageWidths[stage], stride: stage > 0 && block == 0 ? 2 : 1, convInit, options.ZeroInitResidual);
            }
        }
        x = g.GlobalAveragePool(x, "avgpool");
        var features = g.Flatten(x, "flatten", output: ClassifierTensors.Features);
        var logits = g.Linear(features, options.Classes, name: "fc", output: ClassifierTensors.Logits);
        return ClassifierGraph.Finish(g, logits, features, architecture, options,
            $"{architecture} (torchvision layout, BasicBlocks [{string.Join(",", blocksPerStage)}]) for {options.Classes} classes, fresh weights from seed {options.Seed}");
    }

    /// <summary>torchvision's BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + downsample(x)).</summary>
    private static GraphTensor BasicBlock(GraphBuilder g, GraphTensor x, int planes, int stride, WeightInit convInit, bool zeroInitResidual)
    {
        var identity = x;
        var y = g.Conv2d(x, planes, kernel: 3, stride: stride, padding: 1, bias: false, weightInit: convInit, name: "conv1");
        y = g.BatchNorm2d(y, "bn1");
        y = g.Relu(y, "relu");
        y = g.Conv2d(y, planes, kernel: 3, stride: 1, padding: 1, bias: false, weightInit: convInit, name: "conv2");
        y = g.BatchNorm2d(y, "bn2", weightInit: zeroInitResidual ? WeightInit.Zeros : null);
        if (stride != 1 || x.Channels != planes)
        {
            using var downsample = g.Scope("downsample");
            identity = g.Conv2d(x, planes, kernel: 1, stride: stride, bias: false, weightInit: convInit, name: "0");
            identity = g.BatchNorm2d(identity, "1");
        }
        y = g.Add(y, identity, "add");
        return g.Relu(y, "relu");   // torchvision reuses one ReLU module; the second use is named relu_1, as torch.fx names it
    }
}
