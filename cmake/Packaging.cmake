# Install rules and the Debian packages built from them by CPack (run
# scripts/package, which configures a build tree with
# CMAKE_INSTALL_PREFIX=/usr and writes build/packages/*.deb). Components:
#   server -> rollcall-server: rollcalld, its man page, the systemd unit
#             (packaging/rollcalld.service.in), the sysusers.d entry, the
#             flags file ROLLCALL_FLAGS_FILE (a conffile listing every flag,
#             commented, with its default) and the extractor's knowledge
#             files (ROLLCALL_EXTRACT_DATA_DIR, when data/extract exists).
#   cli    -> rollcall-cli: rollcall, its man page and bash completion.
set(ROLLCALL_FLAGS_FILE ${CMAKE_INSTALL_FULL_SYSCONFDIR}/rollcall/rollcalld.flags)
find_program(HELP2MAN help2man REQUIRED)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(packaging_out ${PROJECT_BINARY_DIR}/packaging)

# Man pages (help2man runs each program's --help and --version) and the
# flags file (from rollcalld --help), generated at build time.
add_custom_command(
  OUTPUT ${packaging_out}/rollcalld.1
  COMMAND ${HELP2MAN} --no-info --section=1 --output=${packaging_out}/rollcalld.1
          "--name=the Rollcall server" $<TARGET_FILE:rollcalld>
  DEPENDS rollcalld VERBATIM)
add_custom_command(
  OUTPUT ${packaging_out}/rollcall.1
  COMMAND ${HELP2MAN} --no-info --section=1 --output=${packaging_out}/rollcall.1
          "--name=command-line client of rollcalld" $<TARGET_FILE:rollcall>
  DEPENDS rollcall VERBATIM)
add_custom_command(
  OUTPUT ${packaging_out}/rollcalld.flags
  COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/packaging/make-flagfile
          $<TARGET_FILE:rollcalld> ${packaging_out}/rollcalld.flags
          data_dir=/var/lib/rollcall  # the unit's StateDirectory
  DEPENDS rollcalld ${PROJECT_SOURCE_DIR}/packaging/make-flagfile VERBATIM)
add_custom_target(rollcall_packaging_files ALL
  DEPENDS ${packaging_out}/rollcalld.1 ${packaging_out}/rollcall.1
          ${packaging_out}/rollcalld.flags)
configure_file(packaging/rollcalld.service.in ${packaging_out}/rollcalld.service @ONLY)
configure_file(packaging/deb/conffiles.in ${packaging_out}/deb/conffiles @ONLY)

install(TARGETS rollcalld RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(FILES ${packaging_out}/rollcalld.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT server)
install(FILES ${packaging_out}/rollcalld.service DESTINATION lib/systemd/system
        COMPONENT server)
install(FILES packaging/sysusers.conf DESTINATION lib/sysusers.d RENAME rollcall.conf
        COMPONENT server)
install(FILES ${packaging_out}/rollcalld.flags
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/rollcall COMPONENT server)
install(FILES docs/INSTALL.md README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/rollcall-server
        COMPONENT server)
# OPTIONAL: a tree without data/extract/ (yet) installs the rest.
install(DIRECTORY data/extract/ DESTINATION ${ROLLCALL_EXTRACT_DATA_DIR}
        COMPONENT server OPTIONAL)

install(TARGETS rollcall RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
install(FILES ${packaging_out}/rollcall.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT cli)
install(FILES packaging/rollcall.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME rollcall
        COMPONENT cli)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rollcall)
set(CPACK_PACKAGE_VENDOR "Rollcall")
set(CPACK_PACKAGE_CONTACT "Rollcall maintainers <rollcall@localhost>")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server cli)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps: Debian's library packages
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://rollcall.invalid/")
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME rollcall-server)
# The first line of each description is the package's summary.
set(CPACK_DEBIAN_SERVER_DESCRIPTION "Rollcall server (rollcalld) with its systemd service
rollcalld records how governments, blocs and international organisations
react to political events (who said it, when, the exact words, stance,
demands and measures) and serves them over gRPC.")
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "systemd | systemd-sysusers")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS rollcall-cli)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${packaging_out}/deb/conffiles ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm ${PROJECT_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_CLI_PACKAGE_NAME rollcall-cli)
set(CPACK_DEBIAN_CLI_DESCRIPTION "Rollcall command-line client (rollcall)
rollcall queries and records statements in a rollcalld, imports and
exports data sets and follows the live feed.")
set(CPACK_DEBIAN_CLI_PACKAGE_RECOMMENDS bash-completion)
include(CPack)
