; Windows installer for readerapp (NSIS 3, Unicode). Built on a Windows runner by
; packaging/windows/build-windows.ps1 from the frozen app in dist\readerapp:
;   makensis /DVERSION=0.1.0 /DSOURCE=..\..\dist\readerapp /DOUTFILE=..\..\dist\readerapp-0.1.0-setup.exe readerapp.nsi
; packaging/windows/check-nsis.sh compile-checks this script on Linux with Debian's makensis.

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "x64.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef SOURCE
  !define SOURCE "..\..\dist\readerapp"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\readerapp-${VERSION}-setup.exe"
!endif
!define APP_NAME "readerapp"
!define APP_ID "io.github.readerapp.ReaderApp"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define ICON "..\..\resources\icons\readerapp.ico"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "The readerapp authors, GNU AGPL version 3 or later"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\readerapp.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start readerapp"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "..\..\LICENSE"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "readerapp needs 64-bit Windows 10 or later."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "readerapp" SecApp
  SectionIn RO
  ; A new version replaces the old files whole: stale Qt plugins must not linger.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${SOURCE}\*"
  File "/oname=LICENSE.txt" "..\..\LICENSE"
  File "/oname=THIRD_PARTY_NOTICES.md" "..\..\THIRD_PARTY_NOTICES.md"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\readerapp.lnk" "$INSTDIR\readerapp.exe" "" "$INSTDIR\readerapp.exe" 0 \
    SW_SHOWNORMAL "" "A desktop reading list for AI research"

  ; "Open with readerapp" for PDF files, without taking over the default PDF viewer.
  WriteRegStr HKLM "Software\Classes\Applications\readerapp.exe\shell\open\command" "" '"$INSTDIR\readerapp.exe" "%1"'
  WriteRegStr HKLM "Software\Classes\Applications\readerapp.exe\SupportedTypes" ".pdf" ""
  WriteRegStr HKLM "Software\Classes\.pdf\OpenWithList\readerapp.exe" "" ""

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "The readerapp authors"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\readerapp.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "URLInfoAbout" "https://github.com/readerapp/readerapp"
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; The user's library (in %LOCALAPPDATA%\readerapp) is theirs: it stays.
  Delete "$SMPROGRAMS\readerapp.lnk"
  DeleteRegKey HKLM "Software\Classes\Applications\readerapp.exe"
  DeleteRegKey HKLM "Software\Classes\.pdf\OpenWithList\readerapp.exe"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\readerapp.exe"
  Delete "$INSTDIR\readerapp-cli.exe"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\THIRD_PARTY_NOTICES.md"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
