# One image recipe for every service: docker build --build-arg SERVICE=Gateway -f infra/docker/Service.Dockerfile .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/ contracts/
COPY services/ services/
RUN dotnet publish services/${SERVICE}/${SERVICE}.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG SERVICE
ENV SERVICE_DLL=Workflow.${SERVICE}.dll
WORKDIR /app
COPY --from=build /app .
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_DLL\" --urls http://0.0.0.0:8080"]
