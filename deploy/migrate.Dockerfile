# syntax=docker/dockerfile:1
# RenderFarm database migrations: an EF Core migration bundle (dotnet ef migrations bundle), run once per release
# before the coordinators start (k8s/migrate-job.yaml, the "migrate" service of docker-compose.yml).
# Build from the repository root:
#   docker build -f deploy/migrate.Dockerfile -t renderfarm/migrate .
# Run: the connection string comes from Database__ConnectionString (as for the coordinator) or --connection "...".
# Applying is idempotent: migrations already in __EFMigrationsHistory are skipped, and EF holds a database lock
# while it applies, so a second run at the same time waits instead of racing.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
# The tool manifest pins dotnet-ef to the EF Core version of Directory.Packages.props.
COPY .config/ .config/
COPY .editorconfig Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# Drop bin/obj a developer's tree may have brought along (stale assets files and intermediates).
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked \
    case "$TARGETARCH" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "unsupported $TARGETARCH" >&2; exit 1 ;; esac \
 && dotnet tool restore \
 && dotnet ef migrations bundle \
      --project src/RenderFarm.Infrastructure/RenderFarm.Infrastructure.csproj \
      --startup-project src/RenderFarm.Infrastructure/RenderFarm.Infrastructure.csproj \
      --configuration Release --target-runtime "$rid" --self-contained --output /out/efbundle

# Self-contained single file: only the native dependencies of .NET are needed.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS final
WORKDIR /app
COPY --from=build /out/efbundle ./efbundle
# runtime-deps has no ICU; the application runs invariant as well (Directory.Build.props). The single file unpacks
# its native libraries (SQLite's, SkiaSharp's) at start: under /tmp, so the root file system can stay read-only.
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \
    DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp/.net
USER $APP_UID
ENTRYPOINT ["/app/efbundle"]
