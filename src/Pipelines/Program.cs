using System.CommandLine;

var root = new RootCommand("MLPipelines: train, compare and ship image classifiers in .NET.");
return root.Parse(args).Invoke();
