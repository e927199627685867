#include "rules/rules.h"

namespace retour::station {

GradeTable::GradeTable()
    : table_{{
          {'A', 'B', 'C', 'C'}, // 0 works
          {'C', 'C', 'C', 'D'}, // 1 minor fault
          {'D', 'D', 'D', 'E'}, // 2 major fault
          {'E', 'E', 'E', 'E'}, // 3 dead
      }},
      tradeIn_{1.0, 0.8, 0.5, 0.2, 0.0}
{}

char GradeTable::grade(int function, char cosmetic) const
{
    return table_.at(static_cast<std::size_t>(function)).at(static_cast<std::size_t>(cosmetic - 'A'));
}

void GradeTable::set(int function, char cosmetic, char grade)
{
    table_.at(static_cast<std::size_t>(function)).at(static_cast<std::size_t>(cosmetic - 'A')) = grade;
}

double GradeTable::tradeInFactor(char grade) const
{
    return validGrade(grade) ? tradeIn_.at(static_cast<std::size_t>(grade - 'A')) : 0.0;
}

void GradeTable::setTradeInFactor(char grade, double factor)
{
    tradeIn_.at(static_cast<std::size_t>(grade - 'A')) = factor;
}

} // namespace retour::station
