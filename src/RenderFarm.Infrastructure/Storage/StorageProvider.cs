namespace RenderFarm.Infrastructure.Storage;

public enum StorageProvider
{
    S3,
    LocalFolder,
}
