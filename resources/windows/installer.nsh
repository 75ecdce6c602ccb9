; Included by electron-builder's NSIS script (electron-builder.yml: nsis.include).
; Not run on the build machines: see README.md («What was and was not run»).
;  - installs the Visual C++ 2015–2022 runtime PostgreSQL's executables need, if missing;
;  - on the host PC (the checkbox, or /HOST in a silent install) allows the server's ports
;    (PostgreSQL 5432, updates 5433) in Windows Firewall for the local subnet only;
;  - keeps a copy of this installer where the host serves updates to staff PCs;
;  - the uninstaller removes the firewall rule.

!include "nsDialogs.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define ZHURNAL_FIREWALL_RULE "Zhurnal - school database server"

Var ZhurnalHostCheckbox
Var ZhurnalIsHost

!macro customPageAfterChangeDir
  Page custom ZhurnalHostPage ZhurnalHostPageLeave
!macroend

!ifndef BUILD_UNINSTALLER
Function ZhurnalHostPage
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 36u "Если на этом компьютере будет работать сервер базы данных школы (режим «Этот компьютер — сервер»), установщик откроет его порты в брандмауэре Windows только для локальной сети."
  Pop $0
  ${NSD_CreateCheckbox} 0 44u 100% 12u "Этот компьютер — сервер базы данных школы"
  Pop $ZhurnalHostCheckbox
  ${If} $ZhurnalIsHost == "1"
    ${NSD_Check} $ZhurnalHostCheckbox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function ZhurnalHostPageLeave
  ${NSD_GetState} $ZhurnalHostCheckbox $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $ZhurnalIsHost "1"
  ${Else}
    StrCpy $ZhurnalIsHost "0"
  ${EndIf}
FunctionEnd
!endif

!macro customInit
  ; A silent install on the host: Zhurnal-…-setup.exe /S /HOST
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/HOST" $1
  ${IfNot} ${Errors}
    StrCpy $ZhurnalIsHost "1"
  ${EndIf}
!macroend

!macro customInstall
  ; Visual C++ runtime (x64): PostgreSQL's executables do not start without it.
  SetRegView 64
  ReadRegDWORD $0 HKLM "SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64" "Installed"
  SetRegView lastused
  ${If} $0 != 1
    DetailPrint "Установка среды Microsoft Visual C++ (x64)…"
    InitPluginsDir
    File "/oname=$PLUGINSDIR\vc_redist.x64.exe" "${BUILD_RESOURCES_DIR}\windows\vc_redist.x64.exe"
    ExecWait '"$PLUGINSDIR\vc_redist.x64.exe" /install /quiet /norestart' $1
    DetailPrint "Среда Visual C++: код завершения $1"
  ${EndIf}

  ; The firewall rule, replaced so a reinstall never leaves two.
  nsExec::Exec 'netsh advfirewall firewall delete rule name="${ZHURNAL_FIREWALL_RULE}"'
  Pop $0
  ${If} $ZhurnalIsHost == "1"
    nsExec::Exec 'netsh advfirewall firewall add rule name="${ZHURNAL_FIREWALL_RULE}" dir=in action=allow protocol=TCP localport=5432,5433 remoteip=localsubnet profile=domain,private'
    Pop $0
    DetailPrint "Правило брандмауэра для сервера базы данных: код $0"
  ${EndIf}

  ; The host serves this very installer to staff PCs (updates over the school's network).
  SetShellVarContext all
  CreateDirectory "$APPDATA\Zhurnal\updates"
  CopyFiles /SILENT "$EXEPATH" "$APPDATA\Zhurnal\updates\Zhurnal-${VERSION}-setup.exe"
!macroend

!macro customUnInstall
  nsExec::Exec 'netsh advfirewall firewall delete rule name="${ZHURNAL_FIREWALL_RULE}"'
  Pop $0
!macroend
