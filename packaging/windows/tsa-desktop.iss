; Inno Setup 6 script (6.3 or newer): the Windows installer of tsa-desktop.
;
; Build the application first, on Windows, then compile this script from the repository root:
;     .venv\Scripts\python packaging\build.py
;     iscc packaging\windows\tsa-desktop.iss
; The installer is written to dist\tsa-desktop-<version>-setup.exe.
;
; - Per-user: no administrator rights, installed to {localappdata}\Programs\tsa-desktop
;   ({autopf} is {userpf} in non-administrative mode, which is that folder).
; - Start-menu shortcut, and an uninstaller listed under Settings > Apps.
; - The user data folder (%LOCALAPPDATA%\tsa-desktop\tsa-desktop: databases, backups, logs, window
;   settings) is never removed: the uninstaller deletes only what Setup installed.
; - The version is read from the built executable's version resource (the spec writes it from
;   the package version), so the installer can never claim a version the program is not.
;   `iscc /DAppVersion=1.2.3 ...` overrides it.

#define AppName "tsa-desktop"
#define AppExe "tsa-desktop.exe"
#define BuildDir AddBackslash(SourcePath) + "..\..\dist\tsa-desktop"
; The icon drawn by packaging\make_icon.py; the spec also builds it into tsa-desktop.exe.
#define AppIcon AddBackslash(SourcePath) + "..\..\resources\icons\tsa-desktop.ico"

#if !FileExists(BuildDir + "\" + AppExe)
  #error "No build at dist\tsa-desktop: run python packaging\build.py first."
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BuildDir + "\" + AppExe, "ProductVersion")
#endif
#if !FileExists(AppIcon)
  #error "No icon at resources\icons\tsa-desktop.ico: run python packaging\make_icon.py."
#endif
#if AppVersion == ""
  #error "The built executable carries no version; rebuild it with packaging\build.py."
#endif

[Setup]
; The AppId ties upgrades and the uninstaller to this program: never change it.
AppId={{A2D92A10-5BB0-4DE3-8994-24A881B7DD21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#GetVersionNumbersString(BuildDir + "\" + AppExe)}
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile={#AppIcon}
UninstallDisplayName={#AppName} {#AppVersion}
; Qt 6 needs Windows 10 or newer, and the build is 64-bit.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#BuildDir}\..
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An open window holds its files: ask to close it rather than leave a half-replaced program.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: a library dropped by the new version must not linger and
; be loaded in place of the new one. This is the program folder only, never the user data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The shortcuts take their icon from the executable (the spec builds the icon into it).
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"; Comment: "ITT placement and mentor planner"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the databases and their backups are the user's.
