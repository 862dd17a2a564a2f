; Inno Setup script for Ictal on Windows (Inno Setup 6.3 or later).
;
; Build on Windows, from the repository root:
;   make installer                    (or: pyinstaller --noconfirm installer\ictal.spec)
;   python installer\smoke_test.py --bundle dist\ictal
;   iscc /DAppVersion=0.1.0 installer\windows\ictal.iss
; Output: dist\installer\ictal-0.1.0-setup.exe. The spec renders build\icons\ictal.ico
; from resources\icons\ictal.svg; the bundle holds ictal.exe (console: the command line)
; and ictal-gui.exe (windowed: Start menu and double-clicked recordings).
; Sign both executables before packing, and the setup afterwards (see installer\macos\README.md
; for the same steps on macOS):
;   signtool sign /fd SHA256 /tr <timestamp-server-url> /td SHA256 /a dist\ictal\*.exe

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Ictal"
#define Root "..\.."

[Setup]
AppId={{6B0F4C8E-2D7A-4E51-9A53-1C2E7F1D8A40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Ictal
AppComments=Review clinical EEG in epilepsy: montages, trends, seizure detection, reports.
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install without administrator rights unless the user asks for all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile={#Root}\build\icons\ictal.ico
UninstallDisplayIcon={app}\ictal-gui.exe
OutputDir={#Root}\dist\installer
OutputBaseFilename=ictal-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
LZMANumBlockThreads=4
WizardStyle=modern
ChangesAssociations=yes
ChangesEnvironment=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "assocedf"; Description: "Open EDF/BDF recordings with {#AppName}"; GroupDescription: "File types:"; Flags: unchecked
Name: "addtopath"; Description: "Add the ictal command to PATH"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
; The whole one-folder bundle: executables, _internal\ (Python, Qt, torch, weights, resources).
Source: "{#Root}\dist\ictal\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\ictal-gui.exe"; Comment: "Review EEG recordings"
Name: "{group}\{#AppName} demo night"; Filename: "{app}\ictal-gui.exe"; Parameters: "demo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\ictal-gui.exe"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "Software\Classes\Ictal.Recording"; ValueType: string; ValueData: "EEG recording"; Flags: uninsdeletekey; Tasks: assocedf
Root: HKA; Subkey: "Software\Classes\Ictal.Recording\DefaultIcon"; ValueType: string; ValueData: "{app}\ictal-gui.exe,0"; Tasks: assocedf
Root: HKA; Subkey: "Software\Classes\Ictal.Recording\shell\open\command"; ValueType: string; ValueData: """{app}\ictal-gui.exe"" view ""%1"""; Tasks: assocedf
Root: HKA; Subkey: "Software\Classes\.edf\OpenWithProgids"; ValueType: string; ValueName: "Ictal.Recording"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assocedf
Root: HKA; Subkey: "Software\Classes\.bdf\OpenWithProgids"; ValueType: string; ValueName: "Ictal.Recording"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assocedf
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Check: NeedsAddPath(ExpandConstant('{app}')); Tasks: addtopath

[Run]
Filename: "{app}\ictal-gui.exe"; Parameters: "demo"; Description: "Open the demo night now"; Flags: nowait postinstall skipifsilent unchecked

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;
