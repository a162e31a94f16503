; Desk installer (NSIS 3, Unicode). Built by `python build_installer.py --windows`:
;   makensis -DDIST=<PyInstaller folder> -DOUTFILE=<setup.exe> -DVERSION=<x.y.z> desk.nsi
; Per-machine install into Program Files (admin), Start menu and desktop shortcuts,
; the .edxml file association, Add/Remove Programs entry; `/S` installs silently.
; The uninstaller removes the program only: each user's office data
; (%LOCALAPPDATA%\Desk or DESK_HOME) is never touched.
Unicode true
Target amd64-unicode  ; a 64-bit installer: Desk is 64-bit, and Wine 8.0 here runs 64-bit programs only
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef DIST
  !error "DIST (the PyInstaller one-folder bundle) must be given"
!endif
!ifndef OUTFILE
  !define OUTFILE "Desk-setup.exe"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Desk"

Name "Desk"
Caption "Desk ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Desk"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
BrandingText "Desk ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Desk"
VIAddVersionKey /LANG=0 "FileDescription" "Desk - văn phòng điện tử"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "Desk"

!include "MUI2.nsh"
!include "x64.nsh"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\Desk.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Desk cần Windows 64-bit. / Desk needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Desk" SecMain
  SectionIn RO
  SetShellVarContext all
  ; A previous version's program files go first (never the office data).
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateDirectory "$SMPROGRAMS\Desk"
  CreateShortcut "$SMPROGRAMS\Desk\Desk.lnk" "$INSTDIR\Desk.exe" "" "$INSTDIR\Desk.exe" 0
  CreateShortcut "$SMPROGRAMS\Desk\Gỡ cài đặt Desk.lnk" "$INSTDIR\Uninstall.exe"
  CreateShortcut "$DESKTOP\Desk.lnk" "$INSTDIR\Desk.exe" "" "$INSTDIR\Desk.exe" 0

  ; .edxml packages: shown with `desk edxml show` in a console that stays open.
  WriteRegStr HKLM "Software\Classes\.edxml" "" "Desk.edXML"
  WriteRegStr HKLM "Software\Classes\.edxml" "Content Type" "application/xml"
  WriteRegStr HKLM "Software\Classes\Desk.edXML" "" "Gói văn bản điện tử edXML"
  WriteRegStr HKLM "Software\Classes\Desk.edXML\DefaultIcon" "" "$INSTDIR\Desk.exe,0"
  WriteRegStr HKLM "Software\Classes\Desk.edXML\shell\open\command" "" '"$SYSDIR\cmd.exe" /k ""$INSTDIR\desk.com" edxml show "%1""'

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "Desk"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "Desk"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\Desk.exe,0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  ; Program files only. Office data lives per user under %LOCALAPPDATA%\Desk (or
  ; DESK_HOME) and is kept, so a reinstall or an upgrade finds it as it was.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\Desk.exe"
  Delete "$INSTDIR\desk.com"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Desk\Desk.lnk"
  Delete "$SMPROGRAMS\Desk\Gỡ cài đặt Desk.lnk"
  RMDir "$SMPROGRAMS\Desk"
  Delete "$DESKTOP\Desk.lnk"
  ReadRegStr $0 HKLM "Software\Classes\.edxml" ""
  StrCmp $0 "Desk.edXML" 0 +2
    DeleteRegKey HKLM "Software\Classes\.edxml"
  DeleteRegKey HKLM "Software\Classes\Desk.edXML"
  DeleteRegKey HKLM "${UNINST_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
