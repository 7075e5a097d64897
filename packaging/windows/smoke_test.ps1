# Smoke-test the Windows installer: install per user, run the installed app, check the Start-menu
# shortcut and the tel:/callto:/sip: registration, uninstall, check everything is gone.
#   pwsh packaging/windows/smoke_test.ps1 [dist\call-launcher-<version>-windows-x64-setup.exe]
# Builds nothing. Used by .github/workflows/installers.yml on windows-latest.
param([string]$Installer = "")
$ErrorActionPreference = "Stop"
if (-not $Installer) {
    $Installer = (Get-ChildItem dist\*-windows-x64-setup.exe | Sort-Object LastWriteTime | Select-Object -Last 1).FullName
}
if (-not $Installer -or -not (Test-Path $Installer)) { Write-Host "SMOKE FAIL: no installer in dist\"; exit 1 }
$version = ([regex]::Match((Split-Path $Installer -Leaf), 'call-launcher-(.+)-windows')).Groups[1].Value
$failures = 0
function Fail([string]$message) { Write-Host "SMOKE FAIL: $message"; $script:failures++ }
function Ok([string]$message) { Write-Host "  ok: $message" }

$env:QT_QPA_PLATFORM = "offscreen"
$env:CALL_LAUNCHER_HOME = Join-Path ([IO.Path]::GetTempPath()) ("cl-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory $env:CALL_LAUNCHER_HOME | Out-Null

Write-Host "== install $Installer (per user, silent)"
$setup = Start-Process -FilePath $Installer -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/SP-", "/CURRENTUSER" -Wait -PassThru
if ($setup.ExitCode -ne 0) { Write-Host "SMOKE FAIL: the installer exited $($setup.ExitCode)"; exit 1 }
$dir = Join-Path $env:LOCALAPPDATA "Programs\Call Launcher"
$gui = Join-Path $dir "call-launcher.exe"
$cli = Join-Path $dir "call-launcher-cli.exe"
foreach ($path in @($gui, $cli, (Join-Path $dir "unins000.exe"), (Join-Path $dir "_internal\resources\icons\call-launcher-256.png"))) {
    if (-not (Test-Path $path)) { Fail "not installed: $path" }
}
$shortcut = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs\Call Launcher.lnk"
if (Test-Path $shortcut) { Ok "Start-menu shortcut" } else { Fail "no Start-menu shortcut at $shortcut" }
foreach ($scheme in @("tel", "callto", "sip")) {
    $key = "HKCU:\Software\Classes\$scheme"
    $command = (Get-ItemProperty -Path "$key\shell\open\command" -ErrorAction SilentlyContinue).'(default)'
    $protocol = (Get-ItemProperty -Path $key -ErrorAction SilentlyContinue).PSObject.Properties.Name -contains "URL Protocol"
    if ($protocol -and $command -eq "`"$gui`" `"%1`"") { Ok "${scheme}: -> $command" } else { Fail "${scheme}: not registered (command: $command)" }
}

$ErrorActionPreference = "Continue"
$out = & $cli --version
if ($LASTEXITCODE -eq 0 -and $out -eq "call-launcher $version") { Ok "--version: $out" } else { Fail "--version printed '$out'" }
$providers = (& $cli providers --json | Out-String | ConvertFrom-Json)
if ($providers.Count -eq 4) { Ok "providers --json: $($providers.id -join ' ')" } else { Fail "providers --json: $($providers.Count) providers, expected 4" }
$out = & $cli --self-test
if ($LASTEXITCODE -eq 0) { Ok "--self-test: $out" } else { Fail "--self-test exited ${LASTEXITCODE}: $out" }
$ErrorActionPreference = "Stop"

Write-Host "== uninstall"
Start-Process -FilePath (Join-Path $dir "unins000.exe") -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART" -Wait | Out-Null
for ($i = 0; $i -lt 60 -and (Test-Path $gui); $i++) { Start-Sleep -Seconds 1 }  # the uninstaller runs a copy of itself
if (Test-Path $gui) { Fail "still installed after uninstalling: $gui" } else { Ok "files removed" }
foreach ($scheme in @("tel", "callto", "sip")) {
    if (Test-Path "HKCU:\Software\Classes\$scheme\shell\open\command") { Fail "HKCU\Software\Classes\$scheme left behind" }
}
if (Test-Path $shortcut) { Fail "Start-menu shortcut left behind" }
Remove-Item -Recurse -Force $env:CALL_LAUNCHER_HOME -ErrorAction SilentlyContinue
if ($failures -gt 0) { Write-Host "SMOKE TEST FAILED: $failures check(s)"; exit 1 }
Write-Host "SMOKE TEST PASSED"
