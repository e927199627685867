# Warning flags for the project's own targets (third-party headers are SYSTEM includes).
# Not -Wnull-dereference: with GCC 12 at -O2 it reports libstdc++'s own inlined code (std::string
# moves inside std::vector growth) as project code, so it cannot be an error in a release build.
add_library(retour_warnings INTERFACE)
target_compile_options(retour_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
if(RETOUR_WERROR)
    target_compile_options(retour_warnings INTERFACE -Werror)
endif()

if(RETOUR_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# retour_target(<name>): the project's standard settings for one of its own targets.
function(retour_target name)
    target_link_libraries(${name} PRIVATE retour_warnings)
endfunction()
