# Build readerapp for Windows on a Windows runner (Windows 10+, 64-bit Python 3.11+, NSIS 3 on
# PATH: `choco install nsis` or `winget install NSIS.NSIS`). From the repository root:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1
# Produces dist\readerapp\ (readerapp.exe for the desktop, readerapp-cli.exe for the command line)
# and dist\readerapp-<version>-setup.exe. Signing: set $env:SIGNTOOL_CERT (a .pfx) and
# $env:SIGNTOOL_PASSWORD to sign both executables and the installer with signtool.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv)) { python -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q -e . "pyinstaller>=6.10,<7"
$version = & $py -c "from importlib.metadata import version; print(version('readerapp'))"

Remove-Item -Recurse -Force dist\readerapp, build\pyinstaller -ErrorAction SilentlyContinue
& $py -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\readerapp.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# Smoke test: the frozen app opens the Getting started PDF offscreen and saves a screenshot.
$env:QT_QPA_PLATFORM = "offscreen"
$home_dir = Join-Path $env:TEMP "readerapp-smoke"
$pdf = "dist\readerapp\_internal\readerapp\resources\getting-started.pdf"
& dist\readerapp\readerapp-cli.exe --home $home_dir --screenshot build\smoke-frozen.png --open $pdf
if ($LASTEXITCODE -ne 0 -or -not (Test-Path build\smoke-frozen.png)) { throw "smoke test failed" }
Remove-Item Env:\QT_QPA_PLATFORM

function Sign($file) {
  if ($env:SIGNTOOL_CERT) {
    signtool sign /f $env:SIGNTOOL_CERT /p $env:SIGNTOOL_PASSWORD /fd sha256 /tr http://timestamp.digicert.com /td sha256 $file
  }
}
Sign dist\readerapp\readerapp.exe
Sign dist\readerapp\readerapp-cli.exe

Push-Location packaging\windows
makensis /V2 "/DVERSION=$version" "/DSOURCE=..\..\dist\readerapp" "/DOUTFILE=..\..\dist\readerapp-$version-setup.exe" readerapp.nsi
if ($LASTEXITCODE -ne 0) { throw "makensis failed" }
Pop-Location
Sign "dist\readerapp-$version-setup.exe"
Write-Host "dist\readerapp-$version-setup.exe"
