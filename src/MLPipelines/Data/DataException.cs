namespace MLPipelines.Data;

/// <summary>Unusable input data (missing folder, empty class, single class…); the message is one line naming the path.</summary>
public sealed class DataException(string message) : Exception(message);
