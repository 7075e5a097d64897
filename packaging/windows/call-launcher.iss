; Inno Setup 6 script for Call Launcher on Windows (64-bit).
;
; Built by packaging/build.py on Windows (python dev.py package windows), which passes:
;   /DAppVersion=0.1.0  /DSourceDir=<repo>\build\pyinstaller\dist\call-launcher  /DOutputDir=<repo>\dist
;   /DOutputBaseName=call-launcher-0.1.0-windows-x64-setup  /DIconFile=<repo>\build\icons\call-launcher.ico
; By hand: iscc /DAppVersion=0.1.0 /DSourceDir=... packaging\windows\call-launcher.iss
;
; Installs the PyInstaller folder, a Start-menu shortcut (optionally a desktop one) and an uninstaller,
; and registers call-launcher.exe for tel:, callto: and sip: links: per user (HKCU) by default, for all
; users (HKLM) when the installer runs elevated ("HKA" below). It also registers the app under
; RegisteredApplications, so it shows up in Settings > Apps > Default apps for those link types.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\build\pyinstaller\dist\call-launcher"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef OutputBaseName
  #define OutputBaseName "call-launcher-" + AppVersion + "-windows-x64-setup"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\call-launcher.ico"
#endif

#define AppName "Call Launcher"
#define AppExe "call-launcher.exe"
#define ProgId "CallLauncher.Link"
#define CapabilitiesKey "Software\CallLauncher\Capabilities"

[Setup]
; A fixed AppId keeps upgrades and the uninstaller working across versions: never change it.
AppId={{6C1F3B52-5D0E-4C8B-9A57-1E3D2C7B8A41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Call Launcher developers
DefaultDirName={autopf}\Call Launcher
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename={#OutputBaseName}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes
VersionInfoVersion={#AppVersion}

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle whole: no stale library from an older version survives next to new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; tel:, callto:, sip: -> "...\call-launcher.exe" "%1"
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: ""; ValueData: "URL:Telephone call"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\tel\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

Root: HKA; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: ""; ValueData: "URL:Callto call"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\callto\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\callto\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

Root: HKA; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: ""; ValueData: "URL:SIP call"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\sip\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\sip\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

; A ProgID plus Capabilities: Windows 10/11 list Call Launcher in Default apps for these link types
; (Windows lets only the user change the default there once another app has been chosen).
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Call Launcher link"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\CallLauncher"; Flags: uninsdeletekey
Root: HKA; Subkey: "{#CapabilitiesKey}"; ValueType: string; ValueName: "ApplicationName"; ValueData: "{#AppName}"
Root: HKA; Subkey: "{#CapabilitiesKey}"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Place and watch outbound calls through voice provider APIs"
Root: HKA; Subkey: "{#CapabilitiesKey}\URLAssociations"; ValueType: string; ValueName: "tel"; ValueData: "{#ProgId}"
Root: HKA; Subkey: "{#CapabilitiesKey}\URLAssociations"; ValueType: string; ValueName: "callto"; ValueData: "{#ProgId}"
Root: HKA; Subkey: "{#CapabilitiesKey}\URLAssociations"; ValueType: string; ValueName: "sip"; ValueData: "{#ProgId}"
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "{#AppName}"; ValueData: "{#CapabilitiesKey}"; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
